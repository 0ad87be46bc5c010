import Foundation
import XNNRuns

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
        .dead { color: #b00; } .weak { color: #b86e00; } .ok { color: #1a7f37; } a { color: #2a5db0; }
        .howto { color: #444; font-style: italic; } .header { background: #f4f6fa; padding: 4px 12px; border-left: 4px solid #2a5db0; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; } svg text { font: 11px system-ui, sans-serif; }
        .histogram, .colourbar { width: auto; height: auto; }
        </style></head><body>
        \(body)
        </body></html>

        """
    }

    /// A histogram of `values` in `bins` equal bins over a nice axis from min(0, their minimum) to
    /// their maximum (PCA concepts can be negative; the SRAE's never are), with x ticks and the
    /// tallest bar's count on the y axis.
    static func histogram(_ values: [Float], bins: Int = 20, width: Double = 260, height: Double = 96) -> String {
        let axis = ChartAxis.linear(covering: [min(Double(values.min() ?? 0), 0), Double(values.max() ?? 0)], tickCount: 4)
        let (left, bottom, plotHeight) = (34.0, height - 18, height - 24)
        let plotWidth = width - left - 18, span = axis.upper - axis.lower
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[max(0, min(bins - 1, Int((Double(v) - axis.lower) / span * Double(bins))))] += 1 }
        let top = max(counts.max() ?? 1, 1), barWidth = plotWidth / Double(bins)
        var svg = counts.enumerated().map { index, count in
            let h = plotHeight * Double(count) / Double(top)
            return "<rect x=\(number(left + Double(index) * barWidth, 5)) y=\(number(bottom - h, 5)) width=\(number(barWidth - 1, 5)) height=\(number(h, 5)) fill=\"#3b528b\"><title>\(count)</title></rect>"
        }.joined()
        svg += "<line x1=\(left) y1=\(bottom) x2=\(left + plotWidth) y2=\(bottom) stroke=\"#444\"/><line x1=\(left) y1=\(bottom - plotHeight) x2=\(left) y2=\(bottom) stroke=\"#444\"/>"
        for tick in axis.ticks {
            let x = number(left + (tick - axis.lower) / span * plotWidth, 5)
            svg += "<line x1=\(x) y1=\(bottom) x2=\(x) y2=\(bottom + 3) stroke=\"#444\"/><text x=\(x) y=\(bottom + 14) text-anchor=\"middle\">\(axis.label(tick))</text>"
        }
        svg += "<text x=\(left - 3) y=\(bottom - plotHeight + 8) text-anchor=\"end\">\(top)</text><text x=\(left - 3) y=\(bottom) text-anchor=\"end\">0</text>"
        let label = "histogram of x from \(number(axis.lower)) to \(number(axis.upper)) over \(values.count) images; tallest bar \(top) images"
        return "<svg class=\"histogram\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(label)\">\(svg)</svg>"
    }

    /// The viridis colour bar of a heatmap scale: 0 on the left, `maximum` (its label) on the right.
    static func colourBar(maximumLabel: String, width: Int = 240) -> String {
        let stops = stride(from: 0, through: 10, by: 1).map { i -> String in
            let (r, g, b) = ColorMap.viridis(Float(i) / 10)
            return "<stop offset=\"\(i * 10)%\" stop-color=\"rgb(\(r),\(g),\(b))\"/>"
        }.joined()
        return "<svg class=\"colourbar\" width=\"\(width + 20)\" height=\"40\" role=\"img\" aria-label=\"colour bar from 0 to \(escape(maximumLabel))\">"
            + "<defs><linearGradient id=\"viridis\">\(stops)</linearGradient></defs><rect x=\"10\" y=\"2\" width=\"\(width)\" height=\"14\" fill=\"url(#viridis)\"/>"
            + "<text x=\"10\" y=\"32\">0</text><text x=\"\(width + 10)\" y=\"32\" text-anchor=\"end\">\(escape(maximumLabel))</text></svg>"
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
