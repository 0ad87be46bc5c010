/// How deeply collections nest in YAML text, measured by scanning the text (never by parsing it,
/// which is what must be protected from deep input): block mappings and lists by their
/// indentation and `- ` markers, flow collections by their brackets outside quotes and comments.
/// The count is exact for ordinary configurations and never far below the true depth.
struct YAMLNesting {
    private enum Kind { case mapping, sequence }
    private var blocks: [(column: Int, kind: Kind)] = []
    private var flowDepth = 0
    private var quote: UInt8?
    /// Lines indented deeper than this belong to a block scalar (`|` or `>`) and are text.
    private var blockScalarParent: Int?
    private(set) var deepest = 0
    private(set) var deepestLine = 0
    private var line = 0

    /// The deepest nesting in `text` and the (1-based) line where it is first reached.
    static func deepest(in text: String) -> (depth: Int, line: Int) {
        var scanner = YAMLNesting()
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            scanner.line += 1
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            scanner.scan(bytes)
        }
        return (scanner.deepest, scanner.deepestLine)
    }

    private mutating func note() {
        let depth = blocks.count + flowDepth
        if depth > deepest { (deepest, deepestLine) = (depth, line) }
    }

    private mutating func scan(_ bytes: [UInt8]) {
        if quote != nil || flowDepth > 0 { return scanFlow(bytes, from: 0) }
        var position = 0
        while position < bytes.count && bytes[position] == UInt8(ascii: " ") { position += 1 }
        guard position < bytes.count, bytes[position] != UInt8(ascii: "#") else { return }
        if let parent = blockScalarParent {
            if position > parent { return }
            blockScalarParent = nil
        }
        if position == 0, bytes.starts(with: Array("---".utf8)) || bytes.starts(with: Array("...".utf8)) {
            blocks.removeAll()
            return
        }
        let firstKind: Kind = Self.isIndicator(bytes, at: position, UInt8(ascii: "-")) ? .sequence : .mapping
        while let last = blocks.last, last.column > position || (last.column == position && last.kind == .sequence && firstKind == .mapping) {
            blocks.removeLast()
        }
        var reusesBlock = blocks.last.map { $0.column == position && $0.kind == firstKind } ?? false
        // `- - - x`: each marker opens a list one level deeper.
        while Self.isIndicator(bytes, at: position, UInt8(ascii: "-")) || Self.isIndicator(bytes, at: position, UInt8(ascii: "?")) {
            if !reusesBlock { blocks.append((position, .sequence)) }
            reusesBlock = false
            position += 1
            while position < bytes.count && bytes[position] == UInt8(ascii: " ") { position += 1 }
        }
        note()
        guard position < bytes.count else { return }
        if let colon = Self.keyColon(bytes, from: position) {
            if !reusesBlock { blocks.append((position, .mapping)) }
            note()
            position = colon + 1
            while position < bytes.count && bytes[position] == UInt8(ascii: " ") { position += 1 }
        }
        position = Self.skipPropertyTokens(bytes, from: position)
        guard position < bytes.count else { return }
        switch bytes[position] {
        case UInt8(ascii: "["), UInt8(ascii: "{"): scanFlow(bytes, from: position)
        case UInt8(ascii: "|"), UInt8(ascii: ">"): blockScalarParent = blocks.last?.column ?? -1
        case UInt8(ascii: "\""), UInt8(ascii: "'"): scanFlow(bytes, from: position)  // a quoted scalar may span lines
        default: break
        }
    }

    /// Brackets and quotes from `start` to the end of the line.
    private mutating func scanFlow(_ bytes: [UInt8], from start: Int) {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if let open = quote {
                if open == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") { i += 2; continue }
                if byte == open {
                    if open == UInt8(ascii: "'") && i + 1 < bytes.count && bytes[i + 1] == open { i += 2; continue }
                    quote = nil
                    if flowDepth == 0 { return }
                }
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#") where i == 0 || bytes[i - 1] == UInt8(ascii: " "): return
            case UInt8(ascii: "["), UInt8(ascii: "{"): flowDepth += 1; note()
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flowDepth = max(0, flowDepth - 1)
                if flowDepth == 0 { return }
            default: break
            }
            i += 1
        }
    }

    /// `-` or `?` followed by a space or the end of the line.
    private static func isIndicator(_ bytes: [UInt8], at i: Int, _ indicator: UInt8) -> Bool {
        i < bytes.count && bytes[i] == indicator && (i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " "))
    }

    /// The `:` that ends a block mapping key on this line (followed by a space or the line's end),
    /// outside quotes; nil when the line is no key.
    private static func keyColon(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count, bytes[start] != UInt8(ascii: "["), bytes[start] != UInt8(ascii: "{") else { return nil }
        var i = start
        if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
            let open = bytes[i]
            i += 1
            while i < bytes.count && bytes[i] != open { i += bytes[i] == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") ? 2 : 1 }
            i += 1
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "#") && i > start && bytes[i - 1] == UInt8(ascii: " ") { return nil }
            if bytes[i] == UInt8(ascii: ":") && (i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " ")) { return i }
            i += 1
        }
        return nil
    }

    /// Skips anchors (`&a`) and tags (`!!map`) in front of a value.
    private static func skipPropertyTokens(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count && (bytes[i] == UInt8(ascii: "&") || bytes[i] == UInt8(ascii: "!")) {
            while i < bytes.count && bytes[i] != UInt8(ascii: " ") { i += 1 }
            while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        }
        return i
    }
}
