import Foundation

/// The few HTML and SVG pieces the review pages are made of; every text goes through `escape`.
enum HTML {
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static func number(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)g", value == 0 ? 0 : value) }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
        table { border-collapse: collapse; } td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; }
        img { image-rendering: pixelated; width: 112px; height: 112px; }
        .pair { display: inline-block; margin: 6px; text-align: center; font-size: 12px; }
        .note { background: #fff4d6; padding: 8px; border-left: 4px solid #e0a800; }
        .dead { color: #b00; } a { color: #2a5db0; }
        </style></head><body>
        \(body)
        </body></html>

        """
    }

    /// A histogram of `values` in `bins` equal bins from min(0, their minimum) to their maximum
    /// (PCA concepts can be negative; the SRAE's never are).
    static func histogram(_ values: [Float], bins: Int = 20, width: Int = 220, height: Int = 60) -> String {
        let minimum = min(values.min() ?? 0, 0), maximum = values.max() ?? 0
        let span = maximum - minimum
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[span > 0 ? max(0, min(bins - 1, Int((v - minimum) / span * Float(bins)))) : 0] += 1 }
        let top = max(counts.max() ?? 1, 1), barWidth = Double(width) / Double(bins)
        let bars = counts.enumerated().map { index, count in
            let h = Double(height) * Double(count) / Double(top)
            return "<rect x=\"\(number(Double(index) * barWidth, 5))\" y=\"\(number(Double(height) - h, 5))\" width=\"\(number(barWidth - 1, 5))\" height=\"\(number(h, 5))\" fill=\"#3b528b\"/>"
        }.joined()
        return "<svg width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"histogram of x from \(number(Double(minimum))) to \(number(Double(maximum)))\">\(bars)</svg>"
    }

    /// Horizontal bars of signed values with their labels.
    static func barChart(labels: [String], values: [Double], width: Int = 520) -> String {
        let rowHeight = 22, labelWidth = 150, half = Double(width - labelWidth) / 2
        let scale = max(values.map(abs).max() ?? 1, 1e-12)
        var parts: [String] = []
        for (index, (label, value)) in zip(labels, values).enumerated() {
            let y = index * rowHeight, length = half * abs(value) / scale
            let x = Double(labelWidth) + half - (value < 0 ? length : 0)
            parts.append("<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(escape(label))</text>")
            parts.append("<rect x=\"\(number(x, 6))\" y=\"\(y + 3)\" width=\"\(number(length, 6))\" height=\"16\" fill=\"\(value < 0 ? "#c0504d" : "#21918c")\"/>")
            parts.append("<text x=\"\(number(Double(labelWidth) + half + (value < 0 ? 4 : -4), 6))\" y=\"\(y + 15)\" font-size=\"11\" text-anchor=\"\(value < 0 ? "start" : "end")\" fill=\"#555\">\(number(value))</text>")
        }
        let axis = "<line x1=\"\(number(Double(labelWidth) + half, 6))\" y1=\"0\" x2=\"\(number(Double(labelWidth) + half, 6))\" y2=\"\(labels.count * rowHeight)\" stroke=\"#888\"/>"
        return "<svg width=\"\(width)\" height=\"\(labels.count * rowHeight + 4)\" role=\"img\">\(parts.joined())\(axis)</svg>"
    }
}
