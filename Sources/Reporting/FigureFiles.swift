// The figure files a result document references, opened from the document's folder.
import Foundation
import OpenBCTCore
import ResultModel

/// Resolves the document's figure references to files in `directory`, refusing a missing file or one
/// whose SHA-256 differs from the document's (the folder was altered after the analysis).
struct FigureFiles {
    let document: ResultDocument
    let directory: URL

    /// The file of a figure, checked to exist and to have the document's SHA-256.
    func url(of figure: FigureReference) throws -> URL {
        let url = directory.appendingPathComponent(figure.file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(path: url.path, location: "figures[\(figure.id)]", "the figure file the result document references is missing")
        }
        let hash = try SHA256Digest.hex(ofFile: url)
        guard hash == figure.sha256.lowercased() else {
            throw InputError(path: url.path, location: "figures[\(figure.id)].sha256",
                             "the file's SHA-256 is \(hash), the result document says \(figure.sha256): the folder was altered after the analysis")
        }
        return url
    }

    func figures(_ kind: FigureReference.Kind) -> [FigureReference] { document.figures.filter { $0.kind == kind } }

    func figure(id: String?) -> FigureReference? { id.flatMap { id in document.figures.first { $0.id == id } } }
}
