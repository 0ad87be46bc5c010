import CPNG
import Foundation

/// An 8-bit RGB or RGBA image, written with libpng's simplified API (which needs no setjmp).
public struct PNGImage {
    public let width: Int
    public let height: Int
    /// 3 (RGB) or 4 (RGBA).
    public let channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 3 || channels == 4)
        precondition(pixels.count == width * height * channels, "\(pixels.count) bytes for a \(width)×\(height)×\(channels) image")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public enum WriteError: Error, CustomStringConvertible, Equatable {
        case libpng(path: String, message: String)
        public var description: String {
            switch self { case .libpng(let path, let message): return "\(path): cannot write PNG: \(message)" }
        }
    }

    /// Writes to `path` under a temporary name, then renames it into place.
    public func write(to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 4 ? xnn_png_format_rgba() : xnn_png_format_rgb()
        let temporary = path + ".partial"
        let status = pixels.withUnsafeBytes {
            png_image_write_to_file(&image, temporary, 0, $0.baseAddress, Int32(width * channels), nil)
        }
        guard status != 0 else {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            png_image_free(&image)
            try? FileManager.default.removeItem(atPath: temporary)
            throw WriteError.libpng(path: path, message: message)
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw WriteError.libpng(path: path, message: String(cString: strerror(errno)))
        }
    }

    /// Reads an 8-bit PNG back as RGBA (for tests and for thumbnails on disk).
    public static func read(from path: String) throws -> PNGImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw WriteError.libpng(path: path, message: "not a readable PNG")
        }
        image.format = xnn_png_format_rgba()
        var pixels = [UInt8](repeating: 0, count: Int(image.width * image.height) * 4)
        let status = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard status != 0 else { png_image_free(&image); throw WriteError.libpng(path: path, message: "decoding failed") }
        return PNGImage(width: Int(image.width), height: Int(image.height), channels: 4, pixels: pixels)
    }
}
