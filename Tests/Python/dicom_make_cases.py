#!/usr/bin/env python3
"""Writes small DICOM files with pydicom that exercise parser features the shared corpus lacks.

usage: dicom_make_cases.py OUTDIR   -> writes the files below into OUTDIR and prints their names.
  latin1.dcm        ISO_IR 100, explicit VR LE: PN/LO/ST with accented letters
  utf8.dcm          ISO_IR 192: PN with ideographic component group, multi-valued LO
  cyrillic.dcm      ISO_IR 144 (not supported by the parser: decoded as Latin-1 with a warning)
  nested.dcm        implicit VR LE, three nested sequence levels mixing defined and undefined lengths
  nested_be.dcm     the same content, explicit VR big endian
  padded.dcm        multi-valued DS/IS/CS with leading/trailing padding, US/SS/FL/FD multi-valued
  no_preamble.dcm   file meta group at byte 0 (no preamble, no "DICM")
  bare.dcm          implicit VR LE data set with neither preamble nor meta group
"""
import os
import sys

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

out = sys.argv[1]


def base(charset=None):
    ds = Dataset()
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = generate_uid()
    ds.Modality = "OT"
    return ds


def save(ds, name, syntax=ExplicitVRLittleEndian):
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = syntax
    ds.preamble = b"\0" * 128
    path = os.path.join(out, name)
    ds.save_as(path, enforce_file_format=True)
    print(name)
    return path


ds = base("ISO_IR 100")
ds.PatientName = "Buc^Jérôme"
ds.InstitutionName = "Hôpital Général"
ds.StudyDescription = "Épaule gauche"
save(ds, "latin1.dcm")

ds = base("ISO_IR 192")
ds.PatientName = "Wang^XiaoDong=王^小東"
ds.InstitutionName = "Universität Zürich"
ds.add_new(0x00081030, "LO", ["Straße", "Œuvre", "日本"])
save(ds, "utf8.dcm")

ds = base("ISO_IR 144")
ds.PatientName = "Люкceмбypг"
save(ds, "cyrillic.dcm")


def code(value, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = meaning
    return item


def nested():
    ds = base()
    inner = Dataset()
    inner.ConceptNameCodeSequence = Sequence([code("121071", "Finding"), code("113000", "Of Interest")])
    inner.TextValue = "deepest"
    middle = Dataset()
    middle.ValueType = "CONTAINER"
    middle.ContentSequence = Sequence([inner, inner])
    middle[0x0040A730].is_undefined_length = False
    ds.ContentSequence = Sequence([middle])
    ds[0x0040A730].is_undefined_length = True
    middle.is_undefined_length_sequence_item = True
    ds.ReferencedSeriesSequence = Sequence([])
    ds.NumberOfFrames = "1"
    return ds


save(nested(), "nested.dcm", ImplicitVRLittleEndian)
save(nested(), "nested_be.dcm", ExplicitVRBigEndian)

ds = base()
raw = b" -12.5\\3E2 \\+7 "
ds.add(pydicom.dataelem.DataElement(0x00200032, "DS", raw.decode()))
ds.add(pydicom.dataelem.DataElement(0x00200013, "IS", " 42 "))
ds.ImageType = ["DERIVED", "SECONDARY", ""]
ds.add_new(0x00280106, "US", 7)
ds.add_new(0x00189311, "FD", [0.5, 1.25e-3])
ds.add_new(0x00280030, "DS", ["0.488281", "0.488281"])
ds.add_new(0x00181152, "IS", "")
save(ds, "padded.dcm")

ds = base()
ds.PatientID = "NOPREAMBLE"
path = save(ds, "no_preamble.dcm")
with open(path, "rb") as f:
    data = f.read()
with open(path, "wb") as f:
    f.write(data[132:])

ds = base()
ds.PatientID = "BARE"
ds.Rows = 2
ds.Columns = 2
ds.BitsAllocated = 16
ds.BitsStored = 16
ds.HighBit = 15
ds.PixelRepresentation = 1
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.PixelData = b"\x01\x00\xff\xff\x00\x80\xff\x7f"
fp = pydicom.filebase.DicomBytesIO()
fp.is_little_endian = True
fp.is_implicit_VR = True
pydicom.filewriter.write_dataset(fp, ds)
with open(os.path.join(out, "bare.dcm"), "wb") as f:
    f.write(fp.getvalue())
print("bare.dcm")
