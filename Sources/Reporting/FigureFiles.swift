// The figure files a result document references, opened from the document's folder.
import Foundation
import OpenBCTCore
import ResultModel

/// Resolves the document's figure references to files in `directory`, refusing a missing file.
struct FigureFiles {
    let document: ResultDocument
    let directory: URL

    /// The file of a figure, checked to exist.
    func url(of figure: FigureReference) throws -> URL {
        let url = directory.appendingPathComponent(figure.file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(path: url.path, location: "figures[\(figure.id)]", "the figure file the result document references is missing")
        }
        return url
    }

    func figures(_ kind: FigureReference.Kind) -> [FigureReference] { document.figures.filter { $0.kind == kind } }

    func figure(id: String?) -> FigureReference? { id.flatMap { id in document.figures.first { $0.id == id } } }
}
