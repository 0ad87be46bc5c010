/// A problem with a configuration file or a `--set` override. Each description is one line that
/// names the file, the key path, what was expected and what was found.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(file: String)
    case syntax(file: String, message: String)
    case unknownKey(file: String, keyPath: String, suggestion: String?, validKeys: [String])
    case wrongType(file: String, keyPath: String, line: Int?, expected: String, found: String)
    case invalidValue(file: String, keyPath: String, line: Int?, expected: String, found: String)
    case missingKey(file: String, keyPath: String, expected: String)
    case badOverride(text: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "\(file): configuration file not found"
        case .syntax(let file, let message):
            return "\(file): not valid YAML: \(message)"
        case .unknownKey(let file, let keyPath, let suggestion, let validKeys):
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "valid keys here: \(validKeys.joined(separator: ", "))"
            return "\(file): \(keyPath): unknown key; \(hint)"
        case .wrongType(let file, let keyPath, let line, let expected, let found):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(keyPath): expected \(expected), found \(found)"
        case .invalidValue(let file, let keyPath, let line, let expected, let found):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(keyPath): expected \(expected), found \(found)"
        case .missingKey(let file, let keyPath, let expected):
            return "\(file): \(keyPath): missing; expected \(expected)"
        case .badOverride(let text, let reason):
            return "--set \(text): \(reason)"
        }
    }
}
