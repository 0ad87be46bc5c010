/// Problems with a run directory. One line each.
public enum RunError: Error, CustomStringConvertible, Equatable {
    case outputExists(directory: String)
    case notReplaceable(path: String)
    case notReplaceableFile(path: String, format: String)
    case cannotWrite(path: String, reason: String)
    case notAModelFile(path: String, reason: String)
    case notARun(path: String, reason: String)
    case notAHeatmapFile(path: String, reason: String)
    case incompatibleRuns(first: String, second: String, reason: String)
    case interrupted(finished: Int, remaining: Int)
    case sweepInProgress(directory: String, pid: Int32?)
    case stoppedChoosingConcepts(tried: Int)

    public var description: String {
        switch self {
        case .outputExists(let directory):
            return "\(directory): a run directory already exists there; pass --force to replace it, or choose another --out"
        case .notReplaceable(let path):
            return "\(path): --force replaces only folders xnn wrote (they hold \(RunDirectory.marker)); this one has none, so it is kept: remove it yourself or choose another --out"
        case .notReplaceableFile(let path, let format):
            return "\(path): --force replaces only files xnn wrote (format \"\(format)\"); this one is not, so it is kept: remove it yourself or choose another --out"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .notAModelFile(let path, let reason):
            return "\(path): expected an XNN model file, \(reason)"
        case .notARun(let path, let reason):
            return "\(path): expected a run directory from xnn train, \(reason)"
        case .notAHeatmapFile(let path, let reason):
            return "\(path): expected concept heatmaps written by scripts/concept_heatmaps.py (docs/heatmaps.md), \(reason)"
        case .interrupted(let finished, let remaining):
            return "sweep interrupted after \(finished) run(s); \(remaining) not finished: start it again to resume"
        case .sweepInProgress(let directory, let pid):
            return "\(directory): another xnn sweep\(pid.map { " (PID \($0))" } ?? "") is using this folder; wait for it to end or stop it, or choose another output"
        case .stoppedChoosingConcepts(let tried):
            return "stopped while choosing the number of concepts (model.concepts: auto) after \(tried) k; this search keeps no checkpoint: start the run again, or set model.concepts"
        case .incompatibleRuns(let first, let second, let reason):
            return "\(first) and \(second) cannot be compared: \(reason)"
        }
    }
}
