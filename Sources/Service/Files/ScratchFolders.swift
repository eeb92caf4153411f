// Private scratch folders: work that must appear whole (a signed report's renderings, a research
// export) is built in a hidden folder and renamed into place. A builder that fails removes its own
// folder; one that dies mid-build (kill -9, out of memory, power loss) cannot, so its folder is swept
// later by name and age — a live builder keeps touching its folder, an abandoned one only ages.
import Foundation

enum ScratchFolders {
    /// Removes the folders in `parent` named `<prefix>…` that were last modified more than `age`
    /// seconds ago; returns their names. A missing `parent` has none.
    @discardableResult
    static func removeAbandoned(in parent: URL, prefix: String, olderThan age: TimeInterval, now: Date = Date()) -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let folder = parent.appendingPathComponent(name)
            guard let modified = (try? fm.attributesOfItem(atPath: folder.path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) > age else { continue }
            if (try? fm.removeItem(at: folder)) != nil { removed.append(name) }
        }
        return removed
    }
}
