import Foundation
import Yams

/// Encodes settings as YAML with a stable key order, for the resolved config saved with a run.
enum YAMLText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let text = try YAMLEncoder().encode(value)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { shortestFloat(in: String($0)) }.joined(separator: "\n")
    }

    /// Yams writes a `Float` setting through `Double` (to 15 or 17 digits), so `dropout: 0.02` came
    /// back as `1.99999995529652e-2`. A line whose value is a `Float` to those digits gets that
    /// `Float`'s shortest form ("0.02"), which reads back to the same bits; a `Double` setting such
    /// as 0.98 lies ~10⁻⁸ from the nearest `Float` and stays as written.
    static func shortestFloat(in line: String) -> String {
        guard let colon = line.range(of: ": ", options: .backwards) else { return line }
        let token = line[colon.upperBound...]
        guard token.contains(where: { $0 == "." || $0 == "e" }), token.allSatisfy({ "0123456789.e-+".contains($0) }),
              let value = Double(token), value.isFinite, abs(Double(Float(value)) - value) <= 1e-13 * abs(value) else { return line }
        let shortest = "\(Float(value))"
        return shortest.count < token.count ? line[..<colon.upperBound] + shortest : line
    }
}
