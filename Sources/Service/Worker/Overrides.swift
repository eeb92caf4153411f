// Re-run overrides: extra `openbct analyze` options a physician asks for (e.g. a corrected vertebral
// level, an excluded site). Stored as a JSON array of arguments; validated before they are stored.
import Foundation
import OpenBCTCore

enum Overrides {
    /// Options that must stay the worker's: where the output goes and its format.
    static let reserved: Set<String> = ["-o", "--output", "--json"]

    /// Splits and checks a physician's override text ("--level L2=L3 --exclude-site left-femur").
    static func parse(_ text: String) throws -> [String] {
        let arguments = text.split(whereSeparator: \.isWhitespace).map(String.init)
        for argument in arguments {
            let option = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if reserved.contains(option) { throw InputError(location: "overrides", "'\(option)' is set by the worker") }
            if argument.hasPrefix("-") && !argument.hasPrefix("--") {
                throw InputError(location: "overrides", "'\(argument)': use long options (--name value)")
            }
        }
        return arguments
    }

    static func encode(_ arguments: [String]) -> String? {
        guard !arguments.isEmpty, let data = try? JSONEncoder().encode(arguments) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func arguments(_ stored: String?) -> [String] {
        guard let stored, let list = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)) else { return [] }
        return list
    }
}
