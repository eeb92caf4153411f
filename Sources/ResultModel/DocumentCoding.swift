// Reading and writing a result document as JSON (one canonical encoding).
import Foundation
import OpenBCTCore

extension ResultDocument {
    /// The canonical JSON: pretty-printed, keys sorted (stable diffs and hashes).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes the document atomically.
    public func write(to url: URL) throws { try writeAtomically(try jsonData(), to: url) }

    /// Reads a document, refusing an unknown major schema version with an `InputError`.
    public static func read(contentsOf url: URL) throws -> ResultDocument {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InputError(path: url.path, "cannot read: \(error.localizedDescription)") }
        return try decode(data, path: url.path)
    }

    /// Decodes a document from JSON.
    public static func decode(_ data: Data, path: String? = nil) throws -> ResultDocument {
        struct Version: Decodable { var schemaVersion: String? }
        let version: Version
        do { version = try JSONDecoder().decode(Version.self, from: data) } catch {
            throw InputError(path: path, "not a JSON object: \(error)")
        }
        guard let v = version.schemaVersion else { throw InputError(path: path, location: "schemaVersion", "missing: not an OpenBCT result document") }
        guard v.split(separator: ".").first == currentSchemaVersion.split(separator: ".").first else {
            throw InputError(path: path, location: "schemaVersion", "version \(v) is not readable by this build (expects \(currentSchemaVersion.prefix(1)).x)")
        }
        do { return try JSONDecoder().decode(ResultDocument.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(path: path, location: (context.codingPath + [key]).map(\.stringValue).joined(separator: "."), "missing field")
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError(path: path, location: context.codingPath.map(\.stringValue).joined(separator: "."), "wrong type: \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw InputError(path: path, location: context.codingPath.map(\.stringValue).joined(separator: "."), "null where a value is required")
        } catch let DecodingError.dataCorrupted(context) {
            throw InputError(path: path, location: context.codingPath.map(\.stringValue).joined(separator: "."), context.debugDescription)
        }
    }
}
