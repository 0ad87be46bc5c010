import Foundation
import XNNLinearAlgebra
import XNNStorage
import XNNTraining

/// The `layers/` group an extraction with `--layers` writes (docs/data-format.md, "Layer-wise
/// maps"), checked on opening: every layer's maps and guided weights agree on the images, the
/// explained logits and the channels. Maps are read one image at a time.
public struct LayerMaps {
    public struct Layer: Equatable, Sendable {
        public let name: String
        public let height: Int
        public let width: Int
        public let channels: Int
    }

    public let file: HDF5File
    public let layers: [Layer]
    /// M × G: the logits explained for each image.
    public let gradientClasses: [[Int]]
    /// The row of `activations` of each image (`feature_map_rows`).
    public let rows: [Int]
    public var imageCount: Int { rows.count }

    public init(path: String) throws {
        file = try HDF5File(path: path)
        let names: [String]
        if file.contains("layers/names") {
            names = try file.readStrings("layers/names")
        } else {
            names = file.datasetNames().compactMap { $0.hasPrefix("layers/") && $0.hasSuffix("/feature_maps") ? String($0.dropFirst(7).dropLast(13)) : nil }
        }
        guard !names.isEmpty else {
            throw DataError.invalidValues(file: path, dataset: "layers", expected: "layer-wise maps (scripts/extract_activations.py --layers)",
                                          found: "no layers/NAME/feature_maps")
        }
        let (classValues, classShape) = try file.readInts("layers/gradient_classes")
        guard classShape.count == 2 else {
            throw DataError.rankMismatch(file: path, dataset: "layers/gradient_classes", expected: "[M, G]", found: classShape)
        }
        let (m, g) = (classShape[0], classShape[1])
        gradientClasses = (0..<m).map { Array(classValues[($0 * g)..<(($0 + 1) * g)]) }
        rows = file.contains("feature_map_rows") ? try file.readInts("feature_map_rows").values : Array(0..<m)
        guard rows.count == m else {
            throw DataError.rowCountMismatch(file: path, dataset: "feature_map_rows", expected: m, found: rows.count, reference: "layers/gradient_classes")
        }
        let opened = file
        layers = try names.map { try Self.checkedLayer($0, file: opened, path: path, images: m, classes: g) }
    }

    static func checkedLayer(_ name: String, file: HDF5File, path: String, images: Int, classes: Int) throws -> Layer {
        let maps = try file.info("layers/\(name)/feature_maps").shape
        guard maps.count == 4, maps[0] == images else {
            throw DataError.rankMismatch(file: path, dataset: "layers/\(name)/feature_maps", expected: "[\(images), h, w, K]", found: maps)
        }
        let layer = Layer(name: name, height: maps[1], width: maps[2], channels: maps[3])
        let weights = try file.info("layers/\(name)/guided_weights").shape
        guard weights == [images, classes, layer.channels] else {
            throw DataError.rankMismatch(file: path, dataset: "layers/\(name)/guided_weights",
                                         expected: "[\(images), \(classes), \(layer.channels)]", found: weights)
        }
        return layer
    }

    /// One image's maps of `layer` as K rows of h·w values (channels first) and its guided weights, G × K.
    public func image(_ index: Int, of layer: Layer) throws -> (maps: Matrix, weights: [[Double]]) {
        let (values, _) = try file.readFloatRows("layers/\(layer.name)/feature_maps", rows: index..<(index + 1))
        let locations = layer.height * layer.width, k = layer.channels
        let maps = Matrix(rows: k, columns: locations)
        for location in 0..<locations { for channel in 0..<k { maps[channel, location] = values[location * k + channel] } }
        let (weights, shape) = try file.readFloatRows("layers/\(layer.name)/guided_weights", rows: index..<(index + 1))
        let g = shape[1]
        return (maps, (0..<g).map { c in (0..<k).map { Double(weights[c * k + $0]) } })
    }
}
