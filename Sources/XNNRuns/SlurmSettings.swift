import Foundation
import XNNStorage

/// What each Slurm task of a sweep asks for (docs/sweeps.md, "On a cluster"): the sweep file's
/// `slurm:` section, which `xnn sweep --slurm`'s flags override.
///
///     slurm:
///       time: "00:30:00"      # --time of each task (Slurm's formats: MM, MM:SS, HH:MM:SS, D-HH[:MM[:SS]])
///       memory: 4G            # --mem of each task (a number, then K, M, G or T)
///       cpus_per_task: 2      # the task's cores, which become its BLAS threads (xnn train --cores)
///       partition: short
///       options: ["--account=my-lab"]   # further sbatch options, written as given
public struct SlurmSettings: Equatable, Sendable {
    public var time: String?
    public var memory: String?
    public var cpusPerTask: Int?
    public var partition: String?
    public var options: [String] = []

    public init(time: String? = nil, memory: String? = nil, cpusPerTask: Int? = nil, partition: String? = nil, options: [String] = []) {
        self.time = time
        self.memory = memory
        self.cpusPerTask = cpusPerTask
        self.partition = partition
        self.options = options
    }

    public static let timeExpected = "a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS"
    public static let memoryExpected = "a Slurm memory size: a whole number, then K, M, G or T (e.g. 4G)"
    public static let partitionExpected = "a partition name (letters, digits, _ . - and commas)"
    public static let optionExpected = "an sbatch option starting with -- on one line (e.g. --account=my-lab)"

    public static func isTime(_ text: String) -> Bool {
        text.range(of: #"^([0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]+(:[0-9]{1,2}(:[0-9]{1,2})?)?)$"#,
                   options: .regularExpression) != nil
    }

    public static func isMemory(_ text: String) -> Bool {
        text.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression) != nil
    }

    public static func isPartition(_ text: String) -> Bool {
        text.range(of: #"^[A-Za-z0-9_.,-]+$"#, options: .regularExpression) != nil
    }

    public static func isOption(_ text: String) -> Bool {
        text.hasPrefix("--") && text.count > 2 && !text.contains(where: \.isNewline)
    }

    /// Reads the sweep file's `slurm:` section (every key optional).
    init(section: ConfigSection) throws {
        time = try section.optional("time", expected: Self.timeExpected, isValid: Self.isTime)
        memory = try section.optional("memory", expected: Self.memoryExpected, isValid: Self.isMemory)
        cpusPerTask = try section.optional("cpus_per_task", expected: "a positive integer") { $0 > 0 }
        partition = try section.optional("partition", expected: Self.partitionExpected, isValid: Self.isPartition)
        options = try section.value("options", default: [], expected: "a list of sbatch options starting with -- (e.g. --account=my-lab)") {
            $0.allSatisfy(Self.isOption)
        }
        try section.finish()
    }

    /// These settings with every one that `other` gives put in its place (flags over the file).
    public func overridden(by other: SlurmSettings) -> SlurmSettings {
        SlurmSettings(time: other.time ?? time, memory: other.memory ?? memory, cpusPerTask: other.cpusPerTask ?? cpusPerTask,
                      partition: other.partition ?? partition, options: options + other.options)
    }
}
