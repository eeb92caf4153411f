// Typed errors for bad input: which file, where in it, what was expected.

/// An error in user-supplied input. Its description names the file, the location inside it
/// (a DICOM tag, a byte offset, a header field) and what was expected, so the message alone lets a
/// user find the fault.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or folder at fault, when known.
    public var path: String?
    /// Where inside it: "(0028,0100) BitsAllocated", "byte 1032", "header field dim[0]".
    public var location: String?
    /// What was wrong and what was expected.
    public var message: String

    public init(path: String? = nil, location: String? = nil, _ message: String) {
        self.path = path; self.location = location; self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let path { parts.append(path) }
        if let location { parts.append(location) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// The same error with a file path attached (keeps an existing path).
    public func at(path newPath: String) -> InputError {
        var e = self
        if e.path == nil { e.path = newPath }
        return e
    }
}
