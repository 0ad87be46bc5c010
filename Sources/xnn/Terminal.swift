import ArgumentParser
import Foundation

/// stderr output and the one-line error convention of every command.
enum Terminal {
    static func printError(_ message: String) {
        write(message + "\n")
    }

    /// Text on stderr as it is (no newline added).
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether stderr is a terminal, where a progress line may be rewritten in place.
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// The terminal's width in characters (80 when it does not say): a rewritten line must not
    /// wrap, or the carriage return would rewrite only its last part.
    static var columns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
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
