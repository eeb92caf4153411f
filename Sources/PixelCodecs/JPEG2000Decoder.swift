// JPEG2000Decoder (work in progress: the API commit routes here first).
import OpenBCTCore

enum JPEG2000Decoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor: FrameDescriptor, codec: PixelCodec) throws -> [UInt8] {
        throw InputError(location: "JPEG2000Decoder", "not implemented yet")
    }
}
