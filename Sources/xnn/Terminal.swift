import ArgumentParser
import Foundation

/// stderr output and the one-line error convention of every command.
enum Terminal {
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Runs a command body; any error becomes one `xnn: error: …` line and `ExitStatus.failure`.
    static func reportingErrors(_ body: () throws -> Void) throws {
        do { try body() } catch let exit as ExitCode { throw exit } catch {
            printError("xnn: error: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
                             : String(format: "%d:%02d", total / 60, total % 60)
    }
}
