import Foundation

/// One series of an `SVGLineChart`: points, each with an optional spread (drawn as an error bar),
/// joined by a line or left as a scatter.
public struct ChartSeries: Sendable {
    public struct Point: Sendable {
        public var x: Double, y: Double
        /// The spread around y (e.g. the lowest and highest seed), drawn as an error bar.
        public var low: Double?, high: Double?
        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            (self.x, self.y, self.low, self.high) = (x, y, low, high)
        }
    }
    public var name: String
    public var points: [Point]
    public var joined: Bool
    public init(_ name: String, points: [Point], joined: Bool = true) {
        (self.name, self.points, self.joined) = (name, points, joined)
    }
}

/// A small chart as inline SVG (no script, nothing fetched): series with markers, axes with nice
/// ticks inside the quantity's possible values, axis titles, a legend, an optional marked x.
public struct SVGLineChart: Sendable {
    public var title: String, xLabel: String, yLabel: String
    public var series: [ChartSeries]
    /// The quantities' possible values (e.g. ...1 for R², 0... for |cos|); nil: unbounded.
    public var xBounds: ClosedRange<Double>? = nil, yBounds: ClosedRange<Double>? = nil
    public var logarithmicY = false
    /// A vertical line at this x with its label (e.g. the kept epoch).
    public var marker: (x: Double, label: String)? = nil
    public var width = 560.0, height = 320.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries]) {
        (self.title, self.xLabel, self.yLabel, self.series) = (title, xLabel, yLabel, series)
    }

    /// The axes the chart draws: every point and its spread inside them.
    public var axes: (x: ChartAxis, y: ChartAxis) {
        let points = series.flatMap(\.points)
        let ys = points.flatMap { [$0.y] + [$0.low, $0.high].compactMap { $0 } }
        return (ChartAxis.linear(covering: points.map(\.x), bounds: xBounds),
                logarithmicY ? ChartAxis.logarithmic(covering: ys) : ChartAxis.linear(covering: ys, bounds: yBounds))
    }

    public func svg() -> String {
        let drawn = series.map { s in ChartSeries(s.name, points: s.points.filter { !logarithmicY || $0.y > 0 }, joined: s.joined) }
        guard drawn.contains(where: { !$0.points.isEmpty }) else { return "<p>\(escape(title)): no data</p>" }
        let frame = Frame(width: width, height: height, axes: axes)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"\(frame.left)\" y=\"20\" font-weight=\"bold\">\(escape(title))</text>" + frame.axesSVG(xLabel: xLabel, yLabel: yLabel)
        if let marker, frame.axes.x.fraction(marker.x) >= 0, frame.axes.x.fraction(marker.x) <= 1 {
            let x = frame.px(marker.x)
            svg += "<line x1=\"\(x)\" y1=\"\(frame.top)\" x2=\"\(x)\" y2=\"\(frame.bottomY)\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(x + 4)\" y=\"\(frame.top + 12)\" fill=\"#555\">\(escape(marker.label))</text>"
        }
        for (index, s) in drawn.enumerated() {
            svg += seriesSVG(s, colour: Self.palette[index % Self.palette.count], frame: frame)
            let legendY = frame.top + 10 + Double(index) * 18, legendX = frame.right + 14
            svg += "<rect x=\"\(legendX)\" y=\"\(legendY - 9)\" width=\"12\" height=\"12\" fill=\"\(Self.palette[index % Self.palette.count])\"/>"
            svg += "<text x=\"\(legendX + 18)\" y=\"\(legendY + 1)\">\(escape(s.name))</text>"
        }
        return svg + "</svg>"
    }

    private func seriesSVG(_ s: ChartSeries, colour: String, frame: Frame) -> String {
        var svg = ""
        if s.joined && s.points.count > 1 {
            let path = s.points.map { "\(frame.px($0.x)),\(frame.py($0.y))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>"
        }
        for p in s.points {
            if let low = p.low, let high = p.high, high > low {
                let x = frame.px(p.x)
                svg += "<path d=\"M\(x) \(frame.py(low))V\(frame.py(high))M\(x - 4) \(frame.py(low))h8M\(x - 4) \(frame.py(high))h8\" stroke=\"\(colour)\" fill=\"none\"/>"
            }
            let spread = p.low.flatMap { low in p.high.map { " (\(String(format: "%.4g", low)) to \(String(format: "%.4g", $0)))" } } ?? ""
            svg += "<circle cx=\"\(frame.px(p.x))\" cy=\"\(frame.py(p.y))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(s.name)): \(String(format: "%.4g", p.y))\(spread)</title></circle>"
        }
        return svg
    }

    /// The plot area inside the margins and the data-to-pixel maps.
    private struct Frame {
        let width: Double, height: Double, axes: (x: ChartAxis, y: ChartAxis)
        let left = 64.0, top = 36.0, legendWidth = 190.0, bottomMargin = 48.0
        var right: Double { width - legendWidth }
        var bottomY: Double { height - bottomMargin }
        func px(_ x: Double) -> Double { (left + axes.x.fraction(x) * (right - left)).rounded(toPlaces: 1) }
        func py(_ y: Double) -> Double { (bottomY - axes.y.fraction(y) * (bottomY - top)).rounded(toPlaces: 1) }

        func axesSVG(xLabel: String, yLabel: String) -> String {
            var svg = "<line x1=\"\(left)\" y1=\"\(bottomY)\" x2=\"\(right)\" y2=\"\(bottomY)\" stroke=\"#444\"/>"
            svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottomY)\" stroke=\"#444\"/>"
            for tick in axes.y.ticks {
                svg += "<line x1=\"\(left - 4)\" y1=\"\(py(tick))\" x2=\"\(right)\" y2=\"\(py(tick))\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(left - 6)\" y=\"\(py(tick) + 4)\" text-anchor=\"end\">\(axes.y.label(tick))</text>"
            }
            for tick in axes.x.ticks {
                svg += "<line x1=\"\(px(tick))\" y1=\"\(bottomY)\" x2=\"\(px(tick))\" y2=\"\(bottomY + 4)\" stroke=\"#444\"/>"
                svg += "<text x=\"\(px(tick))\" y=\"\(bottomY + 17)\" text-anchor=\"middle\">\(axes.x.label(tick))</text>"
            }
            svg += "<text x=\"\((left + right) / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">\(escape(xLabel))</text>"
            return svg + "<text transform=\"translate(14 \((top + bottomY) / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        }
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let factor = pow(10, Double(places))
        return (self * factor).rounded() / factor
    }
}

/// Text made safe for HTML and SVG.
func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
