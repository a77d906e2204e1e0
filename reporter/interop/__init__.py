"""Interoperability adapters: DICOM in (SR measurements, NM/PT headers); DICOM SR, Encapsulated PDF,
FHIR R4 and HL7 v2 out. An interface layer above the domain: it imports the domain, never the reverse.
"""

__all__: list[str] = []
