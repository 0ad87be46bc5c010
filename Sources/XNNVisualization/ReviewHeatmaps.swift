import XNNClustering
import XNNModel
import XNNTraining

/// The concept heatmaps of the review site's images that have feature maps (row → k maps of h × w),
/// and each concept's largest value over all of them: every map of a concept is drawn on that one
/// scale, so its pages compare images rather than each image with itself.
struct ReviewHeatmaps {
    let maps: [Int: [[Float]]]
    let maxima: [Float]

    var isEmpty: Bool { maps.isEmpty }

    /// Maps as given (none, or an ensemble's average); the maxima follow from them.
    init(maps: [Int: [[Float]]], concepts: Int) {
        var maxima = [Float](repeating: 0, count: concepts)
        for heat in maps.values {
            for j in heat.indices { maxima[j] = max(maxima[j], heat[j].max() ?? 0) }
        }
        self.maps = maps
        self.maxima = maxima
    }

    /// The maps `model` gives `rows`, each of which has a feature map in `images`; `normalization`
    /// is the one `model` was trained with.
    init(_ method: ConceptHeatmaps.Method, model: SRAE, normalization: Normalization,
         images: ReviewImages, rows: some Sequence<Int>) {
        var maps: [Int: [[Float]]] = [:]
        if let featureMaps = images.featureMaps {
            let size = featureMaps.height * featureMaps.width * featureMaps.dimension
            for row in rows {
                maps[row] = featureMaps.values.withUnsafeBufferPointer {
                    ConceptHeatmaps.compute(method, model: model, normalization: normalization,
                                            featureMap: $0.baseAddress! + images.featureMapIndex[row]! * size,
                                            height: featureMaps.height, width: featureMaps.width)
                }
            }
        }
        self.init(maps: maps, concepts: model.architecture.concepts)
    }

    /// `map`, a map of concept `j` (or its upsampled copy), scaled to [0, 1] by the concept's maximum.
    func scaled(_ map: [Float], concept j: Int) -> [Float] {
        ColorMap.normalized(map, maximum: maxima[j])
    }

    /// The mean over images of the mean |cos| between an image's concept maps (docs/layers.md,
    /// "Heatmap metrics"): 0 when the concepts light different places; nil without maps.
    var meanMapOverlap: Double? {
        guard !maps.isEmpty else { return nil }
        let overlaps = maps.values.map { HeatmapOverlap.meanAbsoluteCosine($0.map { $0.map(Double.init) }) }
        return overlaps.reduce(0, +) / Double(overlaps.count)
    }
}
