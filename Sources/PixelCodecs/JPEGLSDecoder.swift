// JPEGLSDecoder (work in progress: the API commit routes here first).
import OpenBCTCore

enum JPEGLSDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, descriptor: FrameDescriptor) throws -> [UInt8] {
        throw InputError(location: "JPEGLSDecoder", "not implemented yet")
    }
}
