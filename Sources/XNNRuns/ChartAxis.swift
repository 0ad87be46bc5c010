import Foundation

/// One axis of a chart: a range that holds the data, ends on round values and stays inside the
/// quantity's possible values (R² never past 1, |cos| never below 0), and its ticks at 1, 2, 2.5 or
/// 5 × a power of ten, so that labels read 0.6, 0.8, 1 rather than 0.691, 0.766.
public struct ChartAxis: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    public let ticks: [Double]
    /// Decades instead of equal steps: values are drawn at log10(value).
    public let logarithmic: Bool

    /// A linear axis over `values` (non-finite ones ignored) with about `tickCount` ticks,
    /// clamped to `bounds` (the quantity's possible values, e.g. ...1 for R²).
    public static func linear(covering values: [Double], bounds: ClosedRange<Double>? = nil, tickCount: Int = 5) -> ChartAxis {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high {  // all zeros (e.g. a dead concept) read from 0 to 1, other flat data around itself
            let half = abs(low) * 0.1
            (low, high) = low == 0 ? (0, 1) : (low - half, high + half)
        }
        let step = niceStep((high - low) / Double(max(tickCount - 1, 1)))
        var lower = (low / step).rounded(.down) * step, upper = (high / step).rounded(.up) * step
        if let bounds { (lower, upper) = (max(lower, bounds.lowerBound), min(upper, bounds.upperBound)) }
        if lower >= upper { (lower, upper) = (low, high) }
        var ticks: [Double] = []
        var tick = (lower / step - 1e-9).rounded(.up) * step
        while tick <= upper + step * 1e-9 {
            ticks.append(roundedToStep(tick, step))
            tick += step
        }
        return ChartAxis(lower: lower, upper: upper, ticks: ticks, logarithmic: false)
    }

    /// A logarithmic axis over the positive `values`, from the decade below the smallest to the one above the largest.
    public static func logarithmic(covering values: [Double]) -> ChartAxis {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let low = log10(positive.min() ?? 1).rounded(.down), high = max(log10(positive.max() ?? 10).rounded(.up), low + 1)
        let ticks = stride(from: low, through: high, by: 1).map { pow(10, $0) }
        return ChartAxis(lower: low, upper: high, ticks: ticks, logarithmic: true)
    }

    /// The step of 1, 2, 2.5 or 5 × 10ⁿ nearest above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, log10(rough).rounded(.down))
        return ([1, 2, 2.5, 5, 10].first { $0 * power >= rough * (1 - 1e-9) } ?? 10) * power
    }

    /// `value` without the float noise of repeated additions (0.30000000000000004 → 0.3).
    private static func roundedToStep(_ value: Double, _ step: Double) -> Double {
        let digits = max(0, Int(-log10(step).rounded(.down)) + 2)
        let factor = pow(10, Double(digits))
        return (value * factor).rounded() / factor
    }

    /// Where `value` falls on the axis, 0 at `lower` and 1 at `upper` (outside the range beyond them).
    public func fraction(_ value: Double) -> Double {
        ((logarithmic ? log10(value) : value) - lower) / (upper - lower)
    }

    /// A tick's label: as few digits as the ticks need to differ (0.6, 0.8, 1; 0.25, 0.5; 1e-3).
    public func label(_ tick: Double) -> String {
        if logarithmic { return tick >= 1e-3 && tick <= 1e4 ? String(format: "%g", tick) : String(format: "%.0e", tick) }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : max(abs(tick), 1)
        let decimals = max(0, Int(-log10(step).rounded(.down)) + (ChartAxis.isQuarterStep(step) ? 1 : 0))
        return String(format: "%.\(decimals)f", tick == 0 ? 0 : tick)
    }

    /// Whether `step` is 2.5 × 10ⁿ, which needs one more digit than its power of ten.
    private static func isQuarterStep(_ step: Double) -> Bool {
        let mantissa = step / pow(10, log10(step).rounded(.down))
        return abs(mantissa - 2.5) < 1e-6
    }
}
