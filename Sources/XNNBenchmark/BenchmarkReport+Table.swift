import Foundation

extension BenchmarkReport {
    /// The human-readable report: one row per case, then skips, the 1024³ line, streaming and overheads.
    public var table: String {
        let peers = peerNames
        var header = ["case", "engine samples/s", "GFLOP/s", "peak at these shapes", "% of peak"]
        for peer in peers { header += ["\(peer) samples/s", "engine/\(peer)"] }
        header += ["inference samples/s", "inference/training"]
        var rows = [header]
        for result in cases {
            var row = [result.benchmark.label, format(result.engine.samplesPerSecond), format(result.engine.gflops, 1),
                       format(result.peak.gflops, 1), format(100 * result.shareOfPeak) + "%"]
            for peer in peers {
                let measured = result.peers.first { $0.peer == peer }?.measurement
                row += [measured.map { format($0.samplesPerSecond) } ?? "—", result.speedup(over: peer).map { format($0, 2) + "×" } ?? "—"]
            }
            row += [result.engine.inferenceSamplesPerSecond.map { format($0) } ?? "—",
                    result.engine.inferenceToTraining.map { format($0, 1) + "×" } ?? "—"]
            rows.append(row)
        }
        var lines = [Self.aligned(rows), ""]
        lines += roundLines(peers)
        lines += skipLines(peers)
        lines.append("peak at these shapes: every product of the step at its exact shape, fastest of \(providers.joined(separator: ", ")) "
                     + "(\(threadsText)); step FLOPs over the sum of the fastest times")
        lines.append("SGEMM \(square.shape.label): \(format(square.gflops, 1)) GFLOP/s  (OpenBLAS \(blasConfiguration), \(threadsText))")
        if let streaming {
            lines.append("streaming \(streaming.benchmark.label): file \(format(streaming.fileMegabytes)) MB, budget \(format(streaming.budgetMegabytes)) MB "
                         + "(buffer \(streaming.bufferRows) rows, chunks of \(streaming.chunkRows)): "
                         + "\(format(streaming.streamedSamplesPerSecond)) samples/s streamed vs \(format(streaming.inMemorySamplesPerSecond)) in memory "
                         + "(\(format(100 * streaming.ratio))%)")
        }
        if let overheads { lines.append(Self.overheadLine(overheads)) }
        return lines.joined(separator: "\n")
    }

    private var threadsText: String { threads == 1 ? "1 thread" : "\(threads) threads" }

    /// For cases measured in several rounds: what the medians were taken over, then each round.
    private func roundLines(_ peers: [String]) -> [String] {
        guard cases.contains(where: { $0.rounds.count > 1 }) else { return [] }
        func list(_ values: [String]) -> String { values.joined(separator: " / ") }
        var lines = ["samples/s above: the median round; engine/peer: the median of the rounds' ratios (each round measures "
                     + "the engine, then the peers, one after the other)"]
        for result in cases where result.rounds.count > 1 {
            var line = "\(result.benchmark.label), \(result.rounds.count) rounds: engine \(list(result.rounds.map { format($0.engineSamplesPerSecond) }))"
            for peer in peers where result.rounds.contains(where: { $0.peers[peer] != nil }) {
                let speeds = result.rounds.map { $0.peers[peer].map { format($0) } ?? "—" }
                let ratios = result.rounds.map { $0.speedup(over: peer).map { format($0, 2) + "×" } ?? "—" }
                line += "; \(peer) \(list(speeds)) (\(list(ratios)))"
            }
            lines.append(line)
        }
        return lines
    }

    /// "jax skipped: <reason>" once per peer and distinct reason.
    private func skipLines(_ peers: [String]) -> [String] {
        peers.flatMap { peer -> [String] in
            var reasons: [String] = []
            for result in cases {
                if let reason = result.peers.first(where: { $0.peer == peer })?.skipped, !reasons.contains(reason) { reasons.append(reason) }
            }
            return reasons.map { "\(peer) skipped: \($0)" }
        }
    }

    static func overheadLine(_ o: OverheadBenchmark.Result) -> String {
        func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
        return "xnn train \(o.benchmark.label), \(o.benchmark.samples) rows, \(o.fits) fits × \(o.epochs) epochs: "
            + "\(seconds(o.totalSeconds)) total, \(seconds(o.epochSeconds)) in epochs (revival and validation included, "
            + "\(o.revivedConcepts) revived), \(seconds(o.outsideEpochsSeconds)) outside "
            + "(\(format(100 * o.outsideEpochsSeconds / o.totalSeconds))%): start \(seconds(o.startSeconds)) "
            + "(first fit \(seconds(o.firstStartSeconds)), of which loading the file \(seconds(o.loadSeconds))), "
            + "between epochs \(seconds(o.betweenEpochsSeconds)), acceptance \(seconds(o.acceptanceSeconds)), "
            + "outputs \(seconds(o.outputSeconds))"
    }

    /// Columns padded to their widest cell: the first left-aligned, the others right-aligned.
    static func aligned(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            zip(row, widths).enumerated().map { index, cell in
                index == 0 ? cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
                           : String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

private func format(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
