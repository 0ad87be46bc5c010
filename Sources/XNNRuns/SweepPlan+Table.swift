import Foundation

extension SweepPlan {
    /// `xnn sweep FILE --plan`: one line per point (index, run directory, settings), made from the
    /// sweep file alone, so every machine numbers the points alike (docs/sweeps.md).
    public func table() -> String {
        let directories = runs.map { (outputDirectory as NSString).appendingPathComponent($0.name) }
        let indexWidth = max("index".count, String(max(0, runs.count - 1)).count)
        let directoryWidth = max("directory".count, directories.map(\.count).max() ?? 0)
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = [padded("index", indexWidth) + "  " + padded("directory", directoryWidth) + "  settings"]
        for (index, run) in runs.enumerated() {
            let settings = run.values.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.append(padded(String(index), indexWidth) + "  " + padded(directories[index], directoryWidth) + "  " + settings)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
