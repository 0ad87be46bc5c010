import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNRuns
import XNNTraining

/// Other runs of the same setting (other seeds) reviewed together with the main run: each member's
/// concepts are matched one to one to the main run's (Hungarian on |correlation| of x), the matched
/// heatmaps are averaged, and how well every concept agrees across the members is measured.
struct ReviewEnsemble {
    /// How one concept of the main run agrees with its match in each member that has one.
    struct Agreement {
        /// |r| of the matched activations x.
        var activations: [Double] = []
        /// Pearson r of the matched heatmaps, raw values over every image with a feature map.
        var heatmaps: [Double] = []
    }

    private(set) var agreement: [Agreement]
    private let main: ReviewHeatmaps
    /// Per row and concept, the maps summed so far, each scaled by its own concept's maximum so
    /// that members whose maps differ in size weigh alike.
    private var sums: [Int: [[Float]]]
    /// Per concept, how many maps its sums hold: the main run's and every member's with heatmaps.
    private var mapCounts: [Int]

    /// The average of the matched maps, main run's included.
    var heatmaps: ReviewHeatmaps {
        ReviewHeatmaps(maps: sums.mapValues { maps in maps.enumerated().map { j, m in m.map { $0 / Float(mapCounts[j]) } } },
                       concepts: mapCounts.count)
    }

    /// Matches every run of `memberDirectories` against the main run, whose concepts on every row
    /// of `data` are `concepts` and whose heatmaps are `main`.
    init(_ memberDirectories: [String], mainDirectory: String, mainModel: any ConceptModel, concepts: Matrix,
         main: ReviewHeatmaps, data: ActivationData, images: ReviewImages, method: ConceptHeatmaps.Method,
         progress: (String) -> Void) throws {
        let k = mainModel.architecture.concepts
        self.main = main
        agreement = Array(repeating: Agreement(), count: k)
        sums = main.maps.mapValues { maps in maps.enumerated().map { j, m in main.scaled(m, concept: j) } }
        mapCounts = [Int](repeating: 1, count: k)
        for memberDirectory in memberDirectories {
            progress("ensemble member \(memberDirectory)")
            let member = try SavedRun(directory: memberDirectory)
            guard member.model.architecture.inputDimension == mainModel.architecture.inputDimension else {
                throw RunError.incompatibleRuns(first: mainDirectory, second: memberDirectory, reason: "input dimensions differ")
            }
            let memberData = try member.loadData(file: data.file)
            let memberConcepts = try memberData.infer(member.model, rows: Array(0..<data.sampleCount)).concepts
            var memberHeatmaps = ReviewHeatmaps(maps: [:], concepts: member.model.architecture.concepts)
            if !main.isEmpty, let srae = member.model as? SRAE {
                memberHeatmaps = ReviewHeatmaps(method, model: srae, normalization: memberData.activationNormalization,
                                                images: images, rows: main.maps.keys)
            }
            add(ConceptMatching(concepts, memberConcepts), memberHeatmaps)
        }
    }

    /// One member: its activation agreement always, its heatmaps only when it has them.
    private mutating func add(_ matching: ConceptMatching, _ member: ReviewHeatmaps) {
        for (pair, correlation) in zip(matching.pairs, matching.correlations) {
            let (j, b) = (pair[0], pair[1])
            agreement[j].activations.append(correlation)
            guard !member.isEmpty else { continue }
            var ours: [Double] = [], theirs: [Double] = []
            for (row, maps) in member.maps {
                let scaled = member.scaled(maps[b], concept: b)
                for u in scaled.indices { sums[row]![j][u] += scaled[u] }
                ours += main.maps[row]![j].map(Double.init)
                theirs += maps[b].map(Double.init)
            }
            mapCounts[j] += 1
            agreement[j].heatmaps.append(RankCorrelation.pearson(ours, theirs))
        }
    }
}
