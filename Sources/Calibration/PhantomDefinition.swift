// What a calibration phantom contains: rod densities, their mineral, optionally where the rods are.
import Foundation
import OpenBCTCore

/// A calibration phantom: its rods' nominal densities and, for user-placed ROIs, their positions.
///
/// JSON form (`openbct calibrate --phantom FILE`):
/// `{"name": "...", "equivalent": "hydroxyapatite"|"k2hpo4", "rods": [{"density": 200,
///   "centre": [x, y, z], "radiusMM": 1.0, "waterDensity": 1012.2}]}` — `centre` (LPS mm) and
/// `radiusMM` are optional (without them the rods are detected); `waterDensity` (mg/cm³, from the
/// phantom certificate) on every rod selects the Mindways K2HPO4-in-water form.
public struct PhantomDefinition: Codable, Sendable {
    public struct Rod: Codable, Sendable {
        /// Nominal density, mg/cm³ of the phantom's equivalent.
        public var density: Double
        public var centre: Vec3?
        public var radiusMM: Double?
        public var waterDensity: Double?
        public init(density: Double, centre: Vec3? = nil, radiusMM: Double? = nil, waterDensity: Double? = nil) {
            self.density = density; self.centre = centre; self.radiusMM = radiusMM; self.waterDensity = waterDensity
        }
    }

    public var name: String
    public var equivalent: MineralEquivalent
    public var rods: [Rod]

    public init(name: String, equivalent: MineralEquivalent, rods: [Rod]) {
        self.name = name; self.equivalent = equivalent; self.rods = rods
    }

    /// QRM Cardiac Calcification Insert: hydroxyapatite cylinders of 200, 400 and 800 mg HA/cm³ in
    /// 1, 3 and 5 mm sizes (QRM datasheet). Positions are found by detection.
    public static let qrmCardiacCalcification = PhantomDefinition(
        name: "QRM cardiac calcification insert", equivalent: .hydroxyapatite,
        rods: [200, 400, 800].map { Rod(density: $0) })

    /// Reads a definition from JSON, with the file named in errors.
    public static func read(contentsOf url: URL) throws -> PhantomDefinition {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(path: url.path, "cannot read the phantom definition (\(error.localizedDescription))")
        }
        let definition: PhantomDefinition
        do { definition = try JSONDecoder().decode(PhantomDefinition.self, from: data) } catch {
            throw InputError(path: url.path, "expected a phantom definition JSON {name, equivalent, rods: [{density, centre?, radiusMM?, waterDensity?}]}: \(error)")
        }
        guard definition.rods.count >= 2 else {
            throw InputError(path: url.path, location: "rods", "a calibration needs at least 2 rods, found \(definition.rods.count)")
        }
        let placed = definition.rods.filter { $0.centre != nil }.count
        guard placed == 0 || placed == definition.rods.count else {
            throw InputError(path: url.path, location: "rods[].centre", "give a centre for every rod or for none (found \(placed) of \(definition.rods.count))")
        }
        return definition
    }
}
