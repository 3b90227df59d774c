internal import CLibpq
import Foundation

/// Copies libpq results into Swift values and translates server errors.
enum PostgresResultReader {
    static func copy(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let fieldCount = Int(PQnfields(result))
        var columns: [String] = []
        var oids: [UInt32] = []
        for field in 0..<fieldCount {
            columns.append(PQfname(result, Int32(field)).map { String(cString: $0) } ?? "?column?")
            oids.append(UInt32(PQftype(result, Int32(field))))
        }
        var cells: [[UInt8]?] = []
        cells.reserveCapacity(rowCount * fieldCount)
        for row in 0..<Int32(rowCount) {
            for field in 0..<Int32(fieldCount) {
                if PQgetisnull(result, row, field) == 1 {
                    cells.append(nil)
                    continue
                }
                let length = Int(PQgetlength(result, row, field))
                guard let value = PQgetvalue(result, row, field) else {
                    cells.append([])
                    continue
                }
                cells.append(Array(UnsafeRawBufferPointer(start: value, count: length)))
            }
        }
        let affected = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        return PostgresRows(columns: columns, typeOIDs: oids, cells: cells, count: rowCount, affectedRows: affected)
    }

    static func field(_ result: OpaquePointer, _ code: Character) -> String? {
        guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
        return String(cString: value)
    }

    /// A safe error: SQLSTATE, constraint name and the server's primary message, except for data
    /// exceptions (class 22), whose message may quote a bind value. The DETAIL field (which quotes
    /// key values) is never used.
    static func error(from result: OpaquePointer, connectionBroken: Bool) -> PostgresError {
        let sqlState = field(result, "C")
        let constraint = field(result, "n")
        var message = field(result, "M") ?? String(cString: PQresultErrorMessage(result))
        if let sqlState, sqlState.hasPrefix("22") { message = "data exception" }
        if connectionBroken {
            return PostgresError(.connectionClosed, message: message, sqlState: sqlState)
        }
        let code: PostgresError.Code = sqlState == "57014" ? .cancelled : .queryFailed
        return PostgresError(code, message: message, sqlState: sqlState, constraintName: constraint)
    }
}
