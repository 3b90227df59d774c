import Foundation
import Jobs

/// Draws a throughput series as an inline SVG: one bar per minute for jobs done (failed and killed
/// stacked above in amber and red), and the mean latency as a line on its own scale.
///
/// The SVG holds only numbers and fixed labels, never user text, so it is safe to insert unescaped.
enum AdminChart {
    static let width = 720.0
    static let height = 240.0
    static let left = 44.0
    static let right = 52.0
    static let top = 26.0
    static let bottom = 28.0

    /// The SVG markup for `series` (its minutes, oldest first).
    static func svg(_ series: QueueThroughput) -> String {
        let minutes = series.minutes
        guard !minutes.isEmpty else { return "" }
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let counts = minutes.map { $0.done + $0.failed + $0.killed }
        let countMax = 4 * max(1, niceCeiling(Double(counts.max() ?? 0) / 4))
        let latencies = minutes.map { $0.latencyMeanMilliseconds }
        let latencyMax = 4 * niceCeiling((latencies.compactMap { $0 }.max() ?? 0) / 4)
        let slot = plotWidth / Double(minutes.count)
        let barWidth = max(1, slot * 0.72)
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            aria-label="Jobs per minute and mean latency over the last \(minutes.count) minutes" \
            xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif" font-size="11">
            """
        for step in 0...4 {
            let y = top + plotHeight - plotHeight * Double(step) / 4
            svg += line(left, y, width - right, y, stroke: "#e3e7ee")
            svg += text(left - 6, y + 4, format(countMax * Double(step) / 4), anchor: "end", fill: "#5b6475")
            svg += text(
                width - right + 6, y + 4, formatMilliseconds(latencyMax * Double(step) / 4), anchor: "start",
                fill: "#7a4bc2")
        }
        for (index, minute) in minutes.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            var base = top + plotHeight
            for (value, color) in [(minute.done, "#2f5bd3"), (minute.failed, "#d98c0a"), (minute.killed, "#b42318")]
            where value > 0 {
                let h = countMax > 0 ? plotHeight * Double(value) / countMax : 0
                base -= h
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(base))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" fill=\"\(color)\"/>"
            }
        }
        var points: [String] = []
        for (index, latency) in latencies.enumerated() {
            guard let latency, latencyMax > 0 else { continue }
            let x = left + Double(index) * slot + slot / 2
            let y = top + plotHeight - plotHeight * latency / latencyMax
            points.append("\(f(x)),\(f(y))")
        }
        if points.count > 1 {
            svg +=
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#7a4bc2\" stroke-width=\"2\"/>"
        } else if let only = points.first {
            let xy = only.split(separator: ",")
            svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"#7a4bc2\"/>"
        }
        for index in stride(from: 0, to: minutes.count, by: max(1, minutes.count / 6)) {
            let x = left + Double(index) * slot + slot / 2
            svg += text(x, height - 8, clock(minutes[index].start), anchor: "middle", fill: "#5b6475")
        }
        svg += text(left, 11, "jobs/min", anchor: "start", fill: "#5b6475")
        svg += text(width - right, 11, "latency", anchor: "start", fill: "#7a4bc2")
        return svg + "</svg>"
    }

    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 4 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    static func format(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.1fk", value / 1000) : String(Int(value.rounded()))
    }

    static func formatMilliseconds(_ value: Double) -> String {
        if value >= 60_000 { return String(format: "%.0fm", value / 60_000) }
        if value >= 1000 { return String(format: "%.1fs", value / 1000) }
        return "\(Int(value.rounded()))ms"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\"/>"
    }

    private static func text(_ x: Double, _ y: Double, _ value: String, anchor: String, fill: String) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\">\(value)</text>"
    }

    private static func clock(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970) % 86_400
        return String(format: "%02d:%02d", seconds / 3600, (seconds % 3600) / 60)
    }
}
