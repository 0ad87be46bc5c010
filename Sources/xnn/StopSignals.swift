import Foundation
import XNNTraining

/// SIGINT and SIGTERM while training: the first asks training to save a checkpoint and stop after
/// the step under way; a second ends the process at once (the last saved checkpoint stays).
final class StopSignals {
    private var sources: [DispatchSourceSignal] = []

    init(_ stop: StopRequest) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if stop.signal != nil {
                    Terminal.printError("xnn: second interrupt: stopping now; the last saved checkpoint stays")
                    _exit(128 + signalNumber)
                }
                stop.request(signal: signalNumber)
                Terminal.printError("xnn: stopping after the current step to save a checkpoint (interrupt again to stop at once)")
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Puts the default signal handling back.
    func restore() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
