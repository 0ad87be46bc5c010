import Foundation
import Yams

/// A configuration file as a YAML tree, with `--set key.path=value` overrides applied on top
/// before any typed reading, so an override is checked exactly like the file.
public struct ConfigDocument {
    public let file: String
    public private(set) var root: Node

    /// Reads and parses a YAML file.
    public init(contentsOf file: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { throw ConfigError.fileNotFound(file: file) }
        guard !isDirectory.boolValue else { throw ConfigError.notAFile(file: file, found: "a directory") }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard size <= ConfigLimits.maxBytes else { throw ConfigError.tooLarge(file: file, bytes: size) }
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfigError.syntax(file: file, message: "cannot be read as UTF-8 text")
        }
        try self.init(yaml: text, file: file)
    }

    /// Parses YAML text, within `ConfigLimits` and with every key of a mapping given once.
    public init(yaml: String, file: String) throws {
        self.file = file
        guard yaml.utf8.count <= ConfigLimits.maxBytes else { throw ConfigError.tooLarge(file: file, bytes: yaml.utf8.count) }
        let nesting = YAMLNesting.deepest(in: yaml)
        guard nesting.depth <= ConfigLimits.maxDepth else { throw ConfigError.tooDeep(file: file, line: nesting.line, depth: nesting.depth) }
        do {
            root = try Yams.compose(yaml: yaml) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            throw ConfigError.syntax(file: file, message: Self.oneLine(error))
        }
        try Self.checkUniqueKeys(root, path: "", file: file)
    }

    /// Rejects a key given twice in one mapping (YAML parsers keep the last one silently), and a
    /// document whose aliases expand beyond `ConfigLimits.maxValues`.
    private static func checkUniqueKeys(_ node: Node, path: String, file: String) throws {
        var budget = ConfigLimits.maxValues
        try checkUniqueKeys(node, path: path, file: file, budget: &budget)
    }

    private static func checkUniqueKeys(_ node: Node, path: String, file: String, budget: inout Int) throws {
        budget -= 1
        guard budget >= 0 else { throw ConfigError.tooManyValues(file: file) }
        switch node {
        case .scalar: return
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() { try checkUniqueKeys(item, path: "\(path)[\(index)]", file: file, budget: &budget) }
        case .mapping(let mapping):
            var firstLines: [String: Int?] = [:]
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? keyNode.summary
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if let firstLine = firstLines[key] {
                    throw ConfigError.duplicateKey(file: file, keyPath: keyPath, line: keyNode.mark?.line, firstLine: firstLine)
                }
                firstLines[key] = keyNode.mark?.line
                try checkUniqueKeys(value, path: keyPath, file: file, budget: &budget)
            }
        }
    }

    private static func oneLine(_ error: YamlError) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
    }

    /// The root section to read typed settings from.
    public func rootSection() throws -> ConfigSection { try ConfigSection(file: file, path: "", node: root) }

    /// Applies `key.path=value`; the value is parsed as YAML (so `[800, 100]`, `true`, `0.5` work).
    /// A `--set` text's key path and value, split at its first `=`; nil without one.
    public static func overrideParts(_ text: String) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    public mutating func applyOverride(_ text: String) throws {
        guard let (key, valueText) = Self.overrideParts(text) else {
            throw ConfigError.badOverride(text: text, reason: "expected key.path=value")
        }
        let keys = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.isEmpty, keys.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigError.badOverride(text: text, reason: "expected key.path=value with non-empty keys")
        }
        guard valueText.utf8.count <= ConfigLimits.maxBytes else {
            throw ConfigError.badOverride(text: text, reason: "expected a value of at most \(ConfigLimits.maxBytesText), found \(valueText.utf8.count) bytes")
        }
        let depth = keys.count + YAMLNesting.deepest(in: valueText).depth
        guard depth <= ConfigLimits.maxDepth else {
            throw ConfigError.badOverride(text: text, reason: "expected keys and value nested at most \(ConfigLimits.maxDepth) deep, found \(depth) levels")
        }
        let value: Node
        do { value = try Yams.compose(yaml: valueText) ?? Node("") } catch let error as YamlError {
            throw ConfigError.badOverride(text: text, reason: "value is not valid YAML: \(Self.oneLine(error))")
        }
        try Self.checkUniqueKeys(value, path: key, file: "--set \(key)")
        root = try Self.setting(Self.withoutMarks(value), at: keys[...], in: root, text: text)
    }

    /// The node without source positions: an override's line numbers would point into the
    /// `--set` text, not the file, so its errors carry none.
    private static func withoutMarks(_ node: Node) -> Node {
        switch node {
        case .scalar(let s): return .scalar(Node.Scalar(s.string, s.tag, s.style))
        case .sequence(let s): return .sequence(Node.Sequence(s.map(withoutMarks), s.tag, s.style))
        case .mapping(let m): return .mapping(Node.Mapping(m.map { ($0.key, withoutMarks($0.value)) }, m.tag, m.style))
        }
    }

    private static func setting(_ value: Node, at keys: ArraySlice<String>, in node: Node, text: String) throws -> Node {
        guard let key = keys.first else { return value }
        var mapping: Node.Mapping
        switch node {
        case .mapping(let m): mapping = m
        case let empty where empty.null != nil || empty.string == "": mapping = Node.Mapping([])
        default: throw ConfigError.badOverride(text: text, reason: "'\(key)' lies under a value that is not a mapping")
        }
        let child = mapping[key] ?? Node.mapping(Node.Mapping([]))
        mapping[key] = try setting(value, at: keys.dropFirst(), in: child, text: text)
        return .mapping(mapping)
    }
}
