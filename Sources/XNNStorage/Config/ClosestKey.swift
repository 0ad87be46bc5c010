/// The valid key nearest to a mistyped one (Levenshtein distance), for "did you mean" hints.
public enum ClosestKey {
    public static func suggestion(for key: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        // Accept up to a third of the key's length in edits (at least 2), or a prefix/suffix match.
        let limit = max(2, key.count / 3)
        if best.1 <= limit { return best.0 }
        return candidates.first { $0.hasPrefix(key) || key.hasPrefix($0) }
    }

    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
