"""The seal of an issued report: its records, the official PDF, signing and verifying.

- :mod:`.manifest`: digests of what an issued report is made of, and the manifest file;
- :mod:`.shown`: what the site shows of the seal;
- :mod:`.errata`: corrections (đính chính) of wording, applied backwards and shown word by word;
- :mod:`.fields`: the empty signature fields and the metadata of the official PDF;
- :mod:`.sign`: ``baocao sign`` (pyHanko, PAdES);
- :mod:`.verify`: ``baocao verify`` of a PDF, or of a period against its manifest.

Issuing itself, which runs the check before and after it writes, is
:mod:`baocao.contribute.issue`. The check's rule is :mod:`baocao.check.seal`; the names of the files an issued report's folder
holds (manifest, errata, outputs) are :mod:`baocao.load.sealfiles`, which the layout check reads.
"""
