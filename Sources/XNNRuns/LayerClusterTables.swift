import XNNStorage

/// A file `xnn layers` wrote, read back whole (docs/layers.md, "The output"): per layer, image
/// and explained logit, the kept clusters' maps and weights and the per-image measures.
public struct LayerClusterTables {
    public struct Layer {
        public let name: String
        public let index: Int
        public let height: Int, width: Int, channels: Int
        /// [image][logit]
        public let clusterCount: [[Int]]
        public let keptMass: [[Float]], mapOverlap: [[Float]]
        /// [image][logit][slot]
        public let weights: [[[Float]]], silhouettes: [[[Float]]]
        let maps: [Float], channelCluster: [Int], slots: Int, logits: Int

        /// Cluster `slot`'s map of image `image`, logit `g` (h·w values in [0, 1]).
        public func map(_ image: Int, _ g: Int, _ slot: Int) -> [Float] {
            let size = height * width, start = ((image * logits + g) * slots + slot) * size
            return Array(maps[start..<(start + size)])
        }

        /// How many channels cluster `slot` holds for image `image`, logit `g`.
        public func channelCount(_ image: Int, _ g: Int, _ slot: Int) -> Int {
            let start = (image * logits + g) * channels
            return channelCluster[start..<(start + channels)].filter { $0 == slot }.count
        }

        /// The mean over images and logits of a per-image measure.
        public func mean<T: BinaryFloatingPoint>(_ measure: KeyPath<Layer, [[T]]>) -> Double {
            let values = self[keyPath: measure].flatMap { $0 }
            return values.isEmpty ? 0 : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        }

        public func mean(_ measure: KeyPath<Layer, [[Int]]>) -> Double {
            let values = self[keyPath: measure].flatMap { $0 }
            return values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
        }
    }

    public let source: String
    public let rows: [Int]
    public let gradientClasses: [[Int]]
    public let silhouetteK: [Int]
    public let layers: [Layer]

    public init(path: String) throws {
        let file = try HDF5File(path: path)
        defer { file.close() }
        guard (try? file.stringAttribute("format")) == LayerClusterRun.format else {
            throw RunError.notAModelFile(path: path, reason: "found no format = \(LayerClusterRun.format) attribute (write it with xnn layers)")
        }
        source = try file.stringAttribute("source")
        rows = try file.readInts("rows").values
        let (classes, classShape) = try file.readInts("gradient_classes")
        let logits = classShape.count == 2 ? classShape[1] : 0
        gradientClasses = rows.indices.map { Array(classes[($0 * logits)..<(($0 + 1) * logits)]) }
        let tried = try file.readInts("silhouette_k").values, images = rows.count
        silhouetteK = tried
        layers = try file.readStrings("layer_names").enumerated().map { index, name in
            try Self.layer(name, index: index, file: file, images: images, logits: logits, tried: tried.count)
        }
    }

    static func layer(_ name: String, index: Int, file: HDF5File, images: Int, logits: Int, tried: Int) throws -> Layer {
        let (maps, shape) = try file.readFloats("\(name)/cluster_maps")
        let (assignment, assignmentShape) = try file.readInts("\(name)/channel_cluster")
        let slots = shape[2]
        func grid<T>(_ values: [T]) -> [[T]] { (0..<images).map { i in Array(values[(i * logits)..<((i + 1) * logits)]) } }
        func cube<T>(_ values: [T], _ width: Int) -> [[[T]]] {
            (0..<images).map { i in (0..<logits).map { g in Array(values[((i * logits + g) * width)..<((i * logits + g + 1) * width)]) } }
        }
        return Layer(name: name, index: index, height: shape[3], width: shape[4], channels: assignmentShape[2],
                     clusterCount: grid(try file.readInts("\(name)/cluster_count").values),
                     keptMass: grid(try file.readFloats("\(name)/kept_mass").values),
                     mapOverlap: grid(try file.readFloats("\(name)/map_overlap").values),
                     weights: cube(try file.readFloats("\(name)/cluster_weights").values, slots),
                     silhouettes: cube(try file.readFloats("\(name)/silhouettes").values, tried),
                     maps: maps, channelCluster: assignment, slots: slots, logits: logits)
    }
}
