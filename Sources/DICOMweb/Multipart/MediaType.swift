// Parsing HTTP media types such as `multipart/related; type="application/dicom"; boundary=xyz`.

/// An HTTP media type with its parameters (RFC 9110 §8.3.1). Type, subtype and parameter names are
/// lower-cased (they are case-insensitive); parameter values keep their case, quotes removed.
public struct MediaType: Sendable, Equatable, CustomStringConvertible {
    /// "multipart/related", "application/dicom", …
    public var essence: String
    public var parameters: [String: String]

    public init(_ essence: String, parameters: [String: String] = [:]) {
        self.essence = essence.lowercased(); self.parameters = parameters
    }

    /// Parses a Content-Type / Accept value; nil when there is no `type/subtype`.
    public init?(parsing text: String) {
        var fields = MediaType.splitParameters(text)
        guard !fields.isEmpty else { return nil }
        let essence = fields.removeFirst().trimmingSpaces().lowercased()
        guard essence.split(separator: "/").count == 2 else { return nil }
        var parameters: [String: String] = [:]
        for field in fields {
            guard let eq = field.firstIndex(of: "=") else { continue }
            let name = field[..<eq].trimmingSpaces().lowercased()
            var value = field[field.index(after: eq)...].trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingBackslashEscapes()
            }
            parameters[name] = value
        }
        self.init(essence, parameters: parameters)
    }

    /// The header form: `essence; name="value"…` (values always quoted: boundaries may hold `=`, `:` …).
    public var description: String {
        ([essence] + parameters.keys.sorted().map { "\($0)=\"\(parameters[$0]!)\"" }).joined(separator: "; ")
    }

    /// Splits at semicolons outside quoted strings.
    private static func splitParameters(_ text: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false, escaped = false
        for c in text {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" && quoted { current.append(c); escaped = true; continue }
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { fields.append(current); current = ""; continue }
            current.append(c)
        }
        fields.append(current)
        return fields.filter { !$0.trimmingSpaces().isEmpty }
    }

    public static let dicom = MediaType("application/dicom")
    public static let dicomJSON = MediaType("application/dicom+json")
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    func replacingBackslashEscapes() -> String {
        var out = "", escaped = false
        for c in self {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
