import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining

/// `xnn train`: load the data a configuration names, run the recipe, evaluate both splits and
/// write the run directory (config.yaml, model.h5, concepts.h5, history.csv, metrics.json).
public struct TrainingRun {
    public let configuration: RunConfiguration
    public let outputDirectory: String
    public let force: Bool
    /// Who sets the BLAS thread count: the program (`.openBLAS` from the `xnn` command).
    public var threads = ComputeThreads.unchanged
    /// The interrupted run to continue (`xnn train --resume`), TrainingRun+Resume.swift.
    public var resume: ResumePoint?
    /// Set on SIGINT/SIGTERM: training saves a checkpoint and stops after the step under way.
    public var stop = StopRequest()
    /// Notes for the user, e.g. on staging folders left by processes that died.
    public var notice: (String) -> Void = { _ in }
    /// Written as provenance.json when set (the `xnn` command sets it; library callers may not).
    public var provenance: Provenance?

    public init(configuration: RunConfiguration, outputDirectory: String, force: Bool) {
        self.configuration = configuration
        self.outputDirectory = outputDirectory
        self.force = force
    }

    /// The default run directory for a configuration file: `runs/<file name without extension>`.
    public static func defaultDirectory(forConfigFile file: String) -> String {
        "runs/" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    public struct Summary {
        public let directory: String
        public let metrics: MetricsReport
        public let outcome: TrainingOutcome
        public let multiplyAddsPerSample: Int
        /// Rows the trained model was run over to write concepts.h5 and metrics.json: each row once.
        public let inferredRows: Int
    }

    public func execute(onEvent: (TrainingEvent) -> Void = { _ in }) throws -> Summary {
        try produceResumable { try run(into: $0, onEvent: onEvent) }
    }

    private func run(into directory: RunDirectory, onEvent: (TrainingEvent) -> Void) throws -> Summary {
        let data = try ActivationData.load(configuration.data, seed: configuration.seed, allowStreaming: true)
        var configuration = self.configuration
        let conceptChoice = try configuration.model.chooseConcepts
            ? ConceptCountChoice.choose(configuration, data: data, threads: threads, stop: stop, notice: notice) : nil
        if let conceptChoice {
            configuration.model.concepts = conceptChoice.chosen
            configuration.model.chooseConcepts = false
            notice("concepts: \(conceptChoice.reason)")
        }
        let configurationText = try configuration.yaml()
        try directory.write(configurationText, to: "config.yaml")
        let architecture = configuration.model.architecture(inputDimension: data.inputDimension, outputs: data.outputCount)
        var trainer = Trainer(architecture: architecture, lossWeights: configuration.loss,
                              settings: configuration.training, seed: configuration.seed, kind: configuration.model.kind)
        trainer.threads = threads
        if var provenance {
            provenance.threads = configuration.training.threadCount(for: architecture, cores: threads.cores)
            try directory.write(try provenance.json(), to: "provenance.json")
        }
        trainer.checkpoints = try checkpointing(in: directory)
        let outcome = try trainer.train(data, onEvent: onEvent)
        let model = outcome.model

        // The one pass over every row, in file order: concepts.h5 and every metric come from it.
        let outputs = try ModelOutputs(model: model, data: data, rows: Array(0..<data.sampleCount),
                                       logPenaltyStrength: Double(configuration.loss.logPenaltyStrength))
        let reference = try RunEvaluation.referenceConcepts(in: data.file, rows: data.sampleCount)
        var splits: [String: SplitEvaluation] = [:]
        for split in data.splits { splits[split.name] = outputs.evaluate(positions: split.rows, reference: reference) }
        let v = model.predictor.weight.value
        let report = MetricsReport(
            splits: splits,
            conceptWeights: (0..<v.rows).map { c in (0..<v.columns).map { v[c, $0] } },
            targetNames: data.targetNames,
            acceptance: .init(accepted: outcome.chosen.accepted, attempts: outcome.attempts.count,
                              chosenAttempt: outcome.chosen.attempt + 1, reason: outcome.chosen.reason,
                              finalReconstructionWeight: outcome.chosen.lossWeights.reconstruction,
                              finalPullAwayWeight: outcome.chosen.lossWeights.pullAway),
            revivedConcepts: outcome.history.reduce(0) { $0 + $1.revivedConcepts.count },
            fits: outcome.attempts.map { MetricsReport.Fit($0, chosen: $0.attempt == outcome.chosen.attempt) },
            conceptCount: conceptChoice)

        try ModelFile(model: model, activationNormalization: data.activationNormalization,
                      targetNormalization: data.targetNormalization, targetColumns: data.targetColumns,
                      targetNames: data.targetNames, configuration: configurationText)
            .write(to: directory.file("model.h5"))
        try ConceptsFile.write(to: directory.file("concepts.h5"), outputs: outputs, data: data, predictorWeights: v)
        try directory.write(HistoryTable.csv(outcome.history), to: "history.csv")
        try directory.write(try report.json(), to: "metrics.json")
        return Summary(directory: directory.destination.path, metrics: report, outcome: outcome,
                       multiplyAddsPerSample: architecture.multiplyAddsPerSample, inferredRows: outputs.rows.count)
    }
}
