import XNNEvaluation
import XNNModel
import XNNTraining

/// The concept heatmaps of the review site's images that have feature maps (row → k maps of h × w),
/// and each concept's scale: the 99th percentile of its map values over all of them (its maximum
/// when that is 0). Every map of a concept is drawn on that one scale, so its pages compare images
/// rather than each image with itself, and a few hot cells do not leave the rest of a strong
/// concept's maps invisible; values above the scale show at full colour.
struct ReviewHeatmaps {
    let maps: [Int: [[Float]]]
    let maxima: [Float]

    var isEmpty: Bool { maps.isEmpty }

    /// The share of a concept's map values below its colour scale's top (the pages say so).
    static let scalePercentile = 0.99

    /// Maps as given (none, or an ensemble's average); the maxima follow from them.
    init(maps: [Int: [[Float]]], concepts: Int) {
        self.maps = maps
        maxima = (0..<concepts).map { j in
            let values = maps.values.flatMap { $0[j] }.sorted()
            guard let largest = values.last else { return 0 }
            let percentile = values[Int((Double(values.count - 1) * Self.scalePercentile).rounded())]
            return percentile > 0 ? percentile : largest
        }
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

    /// `map`, a map of concept `j` (or its upsampled copy), scaled to [0, 1] by the concept's scale (clipped above).
    func scaled(_ map: [Float], concept j: Int) -> [Float] {
        ColorMap.normalized(map, maximum: maxima[j]).map { min($0, 1) }
    }

    /// What a concept page says about its colours.
    func scaleSentence(concept j: Int) -> String {
        "Heatmap colours: each concept on its own scale, shared by all its images: 0 (image shows through) to "
            + "\(HTML.number(Double(maxima[j]))), the \(Int(Self.scalePercentile * 100))th percentile of concept \(j)'s map values over the "
            + "\(maps.count) images with feature maps; larger values are drawn at full colour. A weak concept's maps therefore look as bright as a strong one's: compare the scales."
    }

    /// The mean over images of the mean |cos| between an image's concept maps (docs/layers.md,
    /// "Heatmap metrics"): 0 when the concepts light different places; nil without maps.
    var meanMapOverlap: Double? {
        guard !maps.isEmpty else { return nil }
        let overlaps = maps.values.map { OrthogonalityMetrics(vectors: $0.map { $0.map(Double.init) }).meanAbsoluteCosine }
        return overlaps.reduce(0, +) / Double(overlaps.count)
    }
}
