import XNNEvaluation

/// A column of a sweep's results.csv and summary table. Its `key` is the value's dotted path in
/// metrics.json (`splits.test.faithfulness.r2`), or the configuration key for a setting
/// (`model.concepts`), so one number has one name in every file (docs/outputs.md); `bic` and
/// `stability` are computed across runs and have no other home.
public struct SweepMetric: Sendable {
    public let key: String
    /// The short heading of summary.html's table and charts.
    public let label: String
    let value: @Sendable (MetricsReport) -> Double?

    public static let accepted = SweepMetric(key: "acceptance.accepted", label: "accepted") { $0.acceptance.accepted ? 1 : 0 }
    public static let attempts = SweepMetric(key: "acceptance.attempts", label: "attempts") { Double($0.acceptance.attempts) }
    public static let trainR2 = SweepMetric(key: "splits.train.faithfulness.r2", label: "train R²") { $0.train.faithfulness.r2 }
    /// The rows that chose the epoch and settings: what choosing k may look at (docs/sweeps.md).
    public static let validationR2 = SweepMetric(key: "splits.validation.faithfulness.r2", label: "validation R²") {
        $0.splits["validation"]?.faithfulness.r2
    }
    public static let testR2 = test("faithfulness.r2", "test R²") { $0.faithfulness.r2 }
    public static let testMSE = test("faithfulness.mse", "test MSE") { $0.faithfulness.mse }
    public static let testPearson = test("faithfulness.pearson", "test r") { $0.faithfulness.pearson }
    public static let testMeanAbsCos = test("concept_orthogonality.mean_abs_cos", "x mean |cos|") { $0.conceptOrthogonality.meanAbsoluteCosine }
    public static let testMaxAbsCos = test("concept_orthogonality.max_abs_cos", "x max |cos|") { $0.conceptOrthogonality.maxAbsoluteCosine }
    public static let testMeanCos2 = test("concept_orthogonality.mean_cos2", "x mean cos²") { $0.conceptOrthogonality.meanSquaredCosine }
    public static let testContributionMeanAbsCos = test("contribution_orthogonality.mean_abs_cos", "S mean |cos|") {
        $0.contributionOrthogonality.meanAbsoluteCosine
    }
    public static let testSamples = test("samples", "test rows") { Double($0.samples) }
    public static let aliveConcepts = SweepMetric(key: "splits.train.concepts.alive_concepts", label: "alive") {
        Double($0.train.concepts.aliveConcepts)
    }
    public static let positiveConcepts = test("concepts.positive_concepts", "positive") { Double($0.concepts.positiveConcepts) }
    /// docs/method.md §4 step 5, on the held-out rows.
    public static let bic = SweepMetric(key: "bic", label: "BIC") { report in
        report.test.map { SweepSummary.bic(samples: Double($0.samples), mse: $0.faithfulness.mse,
                                           concepts: Double($0.concepts.meanContributions.count),
                                           positiveConcepts: Double($0.concepts.positiveConcepts)) }
    }
    /// Filled in across the seeds of one setting (docs/method.md §5); no value from one run.
    public static let stability = SweepMetric(key: "stability", label: "stability") { _ in nil }

    /// Every column of results.csv, in order.
    public static let all: [SweepMetric] = [accepted, attempts, trainR2, validationR2, testR2, testMSE, testPearson, testMeanAbsCos, testMaxAbsCos,
                                            testMeanCos2, testContributionMeanAbsCos, testSamples, aliveConcepts, positiveConcepts,
                                            bic, stability]

    public static func named(_ key: String) -> SweepMetric? { all.first { $0.key == key } }

    /// A value of the held-out split: empty when the run held nothing out.
    static func test(_ path: String, _ label: String, _ value: @escaping @Sendable (SplitEvaluation) -> Double) -> SweepMetric {
        SweepMetric(key: "splits.test." + path, label: label) { $0.test.map(value) }
    }
}
