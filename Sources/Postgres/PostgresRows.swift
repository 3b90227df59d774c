/// The rows a statement returned, copied out of libpq's result (safe to keep and pass between tasks).
public struct PostgresRows: Sendable, Sequence {
    /// Column names, in order.
    public let columns: [String]
    /// Column type OIDs, in order.
    let typeOIDs: [UInt32]
    /// Cells row by row (`nil` is NULL).
    let cells: [[UInt8]?]
    /// Number of rows.
    public let count: Int
    /// Rows inserted, updated or deleted by the statement (0 when not applicable).
    public let affectedRows: Int

    init(columns: [String], typeOIDs: [UInt32], cells: [[UInt8]?], count: Int, affectedRows: Int) {
        self.columns = columns
        self.typeOIDs = typeOIDs
        self.cells = cells
        self.count = count
        self.affectedRows = affectedRows
    }

    /// The row at `index`.
    public subscript(index: Int) -> PostgresRow { PostgresRow(rows: self, index: index) }

    /// The first row, if any.
    public var first: PostgresRow? { count > 0 ? self[0] : nil }

    /// Whether no row came back.
    public var isEmpty: Bool { count == 0 }

    /// Iterates the rows in order.
    public func makeIterator() -> Iterator { Iterator(rows: self) }

    /// Iterator over ``PostgresRows``.
    public struct Iterator: IteratorProtocol {
        let rows: PostgresRows
        var index = 0

        /// The next row.
        public mutating func next() -> PostgresRow? {
            guard index < rows.count else { return nil }
            defer { index += 1 }
            return rows[index]
        }
    }

    /// Decodes every row as the given column types.
    /// - Throws: ``PostgresError/Code/decodingFailed``.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> [(repeat each T)] {
        try map { try $0.decode(types) }
    }
}

/// One row of ``PostgresRows``.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// Decodes the cell at `column` (0-based).
    /// - Throws: ``PostgresError/Code/decodingFailed`` for a wrong type, NULL into non-optional, or a bad index.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at column: Int) throws -> T {
        guard column >= 0, column < rows.columns.count else {
            throw PostgresError(.decodingFailed, message: "no column \(column)")
        }
        guard let bytes = rows.cells[index * rows.columns.count + column] else { return try T.postgresDecodeNull() }
        do {
            return try T.postgresDecode(bytes, typeOID: rows.typeOIDs[column])
        } catch let error as PostgresError {
            throw PostgresError(
                .decodingFailed, message: "column \(rows.columns[column]): \(error.message ?? "")")
        }
    }

    /// Decodes the cell of the column named `name`.
    /// - Throws: ``PostgresError/Code/decodingFailed``.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws -> T {
        guard let column = rows.columns.firstIndex(of: name) else {
            throw PostgresError(.decodingFailed, message: "no column named \(name)")
        }
        return try decode(type, at: column)
    }

    /// Decodes the leading columns as a tuple: `let (id, name) = try row.decode((UUID, String).self)`.
    /// - Throws: ``PostgresError/Code/decodingFailed``.
    public func decode<each T: PostgresDecodable>(_: (repeat each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<U: PostgresDecodable>(_: U.Type) throws -> U {
            defer { column += 1 }
            return try decode(U.self, at: column)
        }
        return (repeat try next((each T).self))
    }
}
