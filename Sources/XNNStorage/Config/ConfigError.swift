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
    case notAFile(file: String, found: String)
    case tooLarge(file: String, bytes: Int)
    case tooDeep(file: String, line: Int, depth: Int)
    case tooManyValues(file: String)
    case duplicateKey(file: String, keyPath: String, line: Int?, firstLine: Int?)

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
            // A --set value may be kilobytes long; the line names it by its start.
            return "--set \(text.count > 60 ? text.prefix(60) + "…" : text): \(reason)"
        case .notAFile(let file, let found):
            return "\(file): expected a configuration file, found \(found)"
        case .tooLarge(let file, let bytes):
            return "\(file): expected a configuration of at most \(ConfigLimits.maxBytesText), found \(bytes) bytes"
        case .tooDeep(let file, let line, let depth):
            return "\(file):\(line): expected mappings and lists nested at most \(ConfigLimits.maxDepth) deep, found \(depth) levels"
        case .tooManyValues(let file):
            return "\(file): expected at most \(ConfigLimits.maxValues) keys and values (an alias counts each time it is used), found more"
        case .duplicateKey(let file, let keyPath, let line, let firstLine):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(keyPath): duplicate key (first at line \(firstLine.map(String.init) ?? "?")); each key may appear once"
        }
    }
}

extension ConfigError {
    /// The key path the error is about, when it names one.
    public var keyPath: String? {
        switch self {
        case .unknownKey(_, let keyPath, _, _), .wrongType(_, let keyPath, _, _, _), .invalidValue(_, let keyPath, _, _, _),
             .missingKey(_, let keyPath, _), .duplicateKey(_, let keyPath, _, _):
            return keyPath
        default:
            return nil
        }
    }

    /// The same error reported against another file and key path: a sweep file's `grid` entry
    /// whose value the base configuration rejected.
    public func blamed(on file: String, keyPath: String, line: Int?) -> ConfigError {
        switch self {
        case .unknownKey(_, _, let suggestion, let validKeys):
            return .unknownKey(file: file, keyPath: keyPath, suggestion: suggestion, validKeys: validKeys)
        case .wrongType(_, _, _, let expected, let found):
            return .wrongType(file: file, keyPath: keyPath, line: line, expected: expected, found: found)
        case .invalidValue(_, _, _, let expected, let found):
            return .invalidValue(file: file, keyPath: keyPath, line: line, expected: expected, found: found)
        case .missingKey(_, _, let expected):
            return .missingKey(file: file, keyPath: keyPath, expected: expected)
        default:
            return self
        }
    }
}
