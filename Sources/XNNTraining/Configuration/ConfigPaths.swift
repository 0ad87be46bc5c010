import Foundation
import XNNStorage

/// Paths inside a configuration file are relative to the file's folder (docs/configuration.md,
/// "Paths"); those given on the command line (`--set`) are relative to the working directory.
/// Either way the run records them as seen from the working directory, so a saved config.yaml
/// (read back without a folder) names the same files.
public enum ConfigPaths {
    /// The settings that are paths, with the key a `--set` names them by.
    static var keys: [(key: String, path: WritableKeyPath<RunConfiguration, String?>)] {
        [("data.file", \RunConfiguration.data.optionalFile), ("output.directory", \RunConfiguration.output.directory)]
    }

    /// `value` written in a file inside `folder`, as seen from the working directory.
    public static func resolve(_ value: String, folder: String) -> String {
        guard !value.hasPrefix("/"), !folder.isEmpty, folder != "." else { return value }
        return normalised(folder + "/" + value)
    }

    /// `a/./b/../c` → `a/c`, lexically; leading `..` stay; an absolute path stays absolute.
    static func normalised(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// A sweep file's `key.path=value` for a path setting, its value resolved against `folder`;
    /// any other setting unchanged.
    public static func resolveOverride(_ text: String, folder: String) -> String {
        guard let (key, value) = ConfigDocument.overrideParts(text), keys.contains(where: { $0.key == key }) else { return text }
        return key + "=" + resolve(value, folder: folder)
    }

    /// The keys a list of `--set key.path=value` overrides sets.
    static func overriddenKeys(_ overrides: [String]) -> Set<String> {
        Set(overrides.compactMap { ConfigDocument.overrideParts($0)?.key })
    }
}

extension DataConfiguration {
    /// `file` through an optional, so every path setting shares one key-path type.
    var optionalFile: String? {
        get { file }
        set { if let newValue { file = newValue } }
    }
}

extension RunConfiguration {
    /// Resolves the paths written in `configFile` against its folder (not those `overridden`).
    mutating func resolvePaths(configFile: String, overridden: Set<String>) {
        let folder = (configFile as NSString).deletingLastPathComponent
        for (key, path) in ConfigPaths.keys where !overridden.contains(key) {
            if let value = self[keyPath: path] { self[keyPath: path] = ConfigPaths.resolve(value, folder: folder) }
        }
    }

    /// The data file must exist: otherwise one line naming the key, the path and where it was looked for.
    func checkDataFile(configFile: String, overridden: Set<String>) throws {
        guard !FileManager.default.fileExists(atPath: data.file) else { return }
        let origin = overridden.contains("data.file") ? "a relative --set path is taken from the working directory"
            : "a relative path is taken from the configuration file's folder"
        throw ConfigError.invalidValue(file: configFile, keyPath: "data.file", line: nil,
                                       expected: "an existing HDF5 file (\(origin))", found: "'\(data.file)', which does not exist")
    }
}
