import XNNStorage

/// RUN/heatmaps.h5, written by scripts/concept_heatmaps.py (layout in docs/heatmaps.md, "A run's
/// concepts"): per concept, its most active held-out images explained with the target
/// `concept:j` by several heatmap methods, each scored by deletion and insertion, and structured
/// attention graphs where they were made.
public struct ConceptHeatmapFile: Sendable {
    /// One heatmap of one image and its two curves.
    public struct Method: Sendable {
        public var name: String
        /// side × side cells, row-major; larger = more important.
        public var heatmap: [Float]
        public var side: Int
        public var deletion: [Float]
        public var insertion: [Float]
        public var deletionArea: Double
        public var insertionArea: Double
    }

    /// A structured attention graph on a grid × grid patch partition: nodes are patch sets (the
    /// first `roots` of them minimal sufficient sets), each edge removes one patch.
    public struct AttentionGraph: Sendable {
        public var grid: Int
        public var nodes: [[Int]]
        public var scores: [Float]
        public var edges: [(parent: Int, child: Int, patch: Int)]
        public var roots: Int
    }

    public struct Image: Sendable {
        public var row: Int
        public var methods: [Method]
        public var graph: AttentionGraph?
    }

    public static let fileName = "heatmaps.h5"
    public static let format = "xnn-concept-heatmaps"

    public let path: String
    public let methodNames: [String]
    /// The share of cells removed (deletion) or revealed (insertion) at each curve point.
    public let fractions: [Float]
    /// By concept, its images from the most active down.
    public let concepts: [[Image]]

    public init(path: String) throws {
        let file = try HDF5File(path: path)
        defer { file.close() }
        let format = (try? file.stringAttribute("format")) ?? "none"
        guard format == Self.format else { throw RunError.notAHeatmapFile(path: path, reason: "found format \"\(format)\"") }
        self.path = path
        let methodNames = try file.readStrings("methods")
        self.methodNames = methodNames
        fractions = try file.readFloats("fractions").values
        let names = file.datasetNames()
        let conceptCount = Int(try file.numberAttribute("concepts"))
        concepts = try (0..<conceptCount).map { j in
            let prefix = "concepts/\(j)/images/"
            let slots = Set(names.filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count).prefix { $0 != "/" }) })
            return try slots.sorted().map { try Self.image(file, group: prefix + String($0), methods: methodNames) }
        }
    }

    static func image(_ file: HDF5File, group: String, methods: [String]) throws -> Image {
        let methods = try methods.map { name -> Method in
            let object = group + "/" + name
            let heatmap = try file.readFloats(object + "/heatmap")
            return Method(name: name, heatmap: heatmap.values, side: heatmap.shape.last ?? 0,
                          deletion: try file.readFloats(object + "/deletion").values, insertion: try file.readFloats(object + "/insertion").values,
                          deletionArea: try file.numberAttribute("deletion_area", on: object),
                          insertionArea: try file.numberAttribute("insertion_area", on: object))
        }
        var graph: AttentionGraph?
        if file.contains(group + "/sag/nodes") {
            let nodes = try file.readInts(group + "/sag/nodes"), edges = try file.readInts(group + "/sag/edges").values
            let patches = nodes.shape.count == 2 ? nodes.shape[1] : 0
            graph = AttentionGraph(grid: Int(Double(patches).squareRoot().rounded()),
                                   nodes: (0..<(nodes.shape.first ?? 0)).map { i in (0..<patches).filter { nodes.values[i * patches + $0] != 0 } },
                                   scores: try file.readFloats(group + "/sag/node_scores").values,
                                   edges: stride(from: 0, to: edges.count, by: 3).map { (edges[$0], edges[$0 + 1], edges[$0 + 2]) },
                                   roots: Int(try file.numberAttribute("roots", on: group + "/sag")))
        }
        return Image(row: Int(try file.numberAttribute("row", on: group)), methods: methods, graph: graph)
    }

    /// Per method, the mean areas over every image of every concept (what `xnn evaluate` reports).
    public func meanAreas() -> HeatmapAreas {
        let images = concepts.flatMap { $0 }
        return HeatmapAreas(file: path, images: images.count, methods: HeatmapAreas.means(of: images, methods: methodNames))
    }
}

/// evaluation.json's `heatmaps`: each heatmap method's mean deletion area (lower is better) and
/// insertion area (higher is better) over the images of RUN/heatmaps.h5 (docs/heatmaps.md).
public struct HeatmapAreas: Codable, Equatable, Sendable {
    public struct MethodAreas: Codable, Equatable, Sendable {
        public var method: String
        public var deletionArea: Double
        public var insertionArea: Double

        enum CodingKeys: String, CodingKey { case method, deletionArea = "deletion_area", insertionArea = "insertion_area" }
    }

    public var file: String
    public var images: Int
    public var methods: [MethodAreas]

    /// Each method's mean deletion and insertion area over `images` (in the order of `methods`).
    public static func means(of images: [ConceptHeatmapFile.Image], methods: [String]) -> [MethodAreas] {
        let count = Double(max(images.count, 1))
        return methods.indices.map { index in
            MethodAreas(method: methods[index], deletionArea: images.map { $0.methods[index].deletionArea }.reduce(0, +) / count,
                        insertionArea: images.map { $0.methods[index].insertionArea }.reduce(0, +) / count)
        }
    }
}
