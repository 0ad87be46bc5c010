import XNNLinearAlgebra
import XNNModel

/// docs/method.md §4 step 1: each encoder layer with its mirrored decoder layer is trained as a shallow
/// autoencoder with MSE, on the codes of the layer below.
enum LayerwisePretraining {
    static func run(model: SRAE, data: ActivationData, settings: TrainingConfiguration, pool: WorkerPool?,
                    generator: inout SeededGenerator, onEvent: (TrainingEvent) -> Void) {
        let rows = data.trainRows
        var codes = Matrix(rows: rows.count, columns: data.inputDimension)
        ActivationData.gather(rows: rows[...], from: data.inputs, into: codes)
        let batch = settings.batchSize
        for (l, encoderLayer) in model.encoder.enumerated() {
            let decoderLayer = model.mirror(ofEncoderLayer: l)
            let input = Matrix(rows: batch, columns: encoderLayer.inputs)
            let hidden = Matrix(rows: batch, columns: encoderLayer.outputs)
            let hiddenGradient = Matrix(rows: batch, columns: encoderLayer.outputs)
            let output = Matrix(rows: batch, columns: encoderLayer.inputs)
            let outputGradient = Matrix(rows: batch, columns: encoderLayer.inputs)
            let adam = Adam(parameters: encoderLayer.parameters + decoderLayer.parameters,
                            learningRate: settings.learningRate, weightDecay: settings.weightDecay, pool: pool)
            var order = Array(0..<codes.rows)
            for epoch in 0..<settings.pretrainEpochs {
                generator.shuffle(&order)
                var total = 0.0, batches = 0
                var start = 0
                while start < order.count {
                    let chunk = order[start..<min(start + batch, order.count)]
                    start += chunk.count
                    ActivationData.gather(rows: chunk, from: codes, into: input)
                    for m in [hidden, hiddenGradient, output, outputGradient] { m.setRowCount(chunk.count) }
                    encoderLayer.forward(input, into: hidden)
                    decoderLayer.forward(hidden, into: output)
                    total += MeanSquaredError.evaluate(prediction: output, target: input, gradient: outputGradient, scale: 1)
                    batches += 1
                    decoderLayer.backward(input: hidden, output: output, outputGradient: outputGradient, inputGradient: hiddenGradient)
                    encoderLayer.backward(input: input, output: hidden, outputGradient: hiddenGradient, inputGradient: nil)
                    adam.update()
                }
                onEvent(.pretraining(layer: l, epoch: epoch + 1, epochs: settings.pretrainEpochs, loss: total / Double(max(batches, 1))))
            }
            // The next layer trains on this layer's codes.
            let next = Matrix(rows: codes.rows, columns: encoderLayer.outputs)
            encoderLayer.forward(codes, into: next)
            codes = next
        }
    }
}
