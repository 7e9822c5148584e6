"""Real audio files for tests, made from bytes (no encoder on the machine).

- MP3: MPEG Layer III frames whose side information is all zeros, which
  every decoder plays as silence (chromium included);
- Ogg Opus: OpusHead, OpusTags and 20 ms packets of the well-known Opus
  silence frame (F8 FF FE), in Ogg pages written by mutagen (CRCs right);
- M4A: an MP4 with one AAC-LC sound track (ftyp, moov with its sample
  tables, mdat), enough for any MP4 reader to take it as an audio file.

Each generator takes a duration, so a test can make a file of 21 minutes
in a few hundred kilobytes.
"""

import io
import struct

from mutagen.ogg import OggPage

# MPEG-1 Layer III, 64 kbit/s, 48 kHz, mono: 192 bytes per 24 ms frame.
MP3_HEADER = bytes([0xFF, 0xFB, 0x54, 0xC0])
MP3_FRAME = MP3_HEADER + bytes(192 - 4)
MP3_FRAME_S = 1152 / 48000
# MPEG-2 Layer III, 8 kbit/s, 24 kHz, mono: 24 bytes per 24 ms (long files, small).
MP3_LSF_FRAME = bytes([0xFF, 0xF3, 0x14, 0xC0]) + bytes(24 - 4)


def id3v2_tag(title: str = "test") -> bytes:
    text = b"\x03" + title.encode()
    frame = b"TIT2" + struct.pack(">I", len(text)) + b"\x00\x00" + text
    size = len(frame)
    synchsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + synchsafe + frame


def mp3_bytes(seconds: float = 2.0, *, tag: bool = True, small_frames: bool = False) -> bytes:
    frame = MP3_LSF_FRAME if small_frames else MP3_FRAME
    frames = max(1, round(seconds / MP3_FRAME_S))
    return (id3v2_tag() if tag else b"") + frame * frames


OPUS_SILENCE = b"\xf8\xff\xfe"  # one 20 ms CELT frame of silence
OPUS_PRE_SKIP = 312


def _ogg_page(serial, sequence, position, packets, *, first=False, last=False) -> bytes:
    page = OggPage()
    page.serial, page.sequence, page.position = serial, sequence, position
    page.packets, page.first, page.last = packets, first, last
    return page.write()


def ogg_opus_bytes(seconds: float = 2.0, *, claimed_seconds: float | None = None) -> bytes:
    """Silence as Ogg Opus. `claimed_seconds` sets the last page's granule
    position (what the file says its length is) independently."""
    serial = 0x5EED
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, OPUS_PRE_SKIP, 48000, 0, 0)
    vendor = b"heritage tests"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    out = io.BytesIO()
    out.write(_ogg_page(serial, 0, 0, [head], first=True))
    out.write(_ogg_page(serial, 1, 0, [tags]))
    packets = max(1, round(seconds / 0.02))
    per_page = 50
    sequence, written = 2, 0
    while written < packets:
        count = min(per_page, packets - written)
        written += count
        last = written == packets
        granule = written * 960
        if last and claimed_seconds is not None:
            granule = round(claimed_seconds * 48000) + OPUS_PRE_SKIP
        out.write(_ogg_page(serial, sequence, granule, [OPUS_SILENCE] * count, last=last))
        sequence += 1
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return _box(kind, bytes([version, 0, 0, 0]) + payload)


def _esds() -> bytes:
    # ES_Descriptor > DecoderConfigDescriptor (AAC, 0x40) > AudioSpecificConfig
    # (AAC-LC, 44.1 kHz, mono), then SLConfigDescriptor.
    specific = bytes([0x05, 0x02, 0x12, 0x08])
    config = bytes([0x04, 13 + len(specific), 0x40, 0x15, 0, 0, 0]) + struct.pack(">II", 64000, 64000)
    config += specific
    es = struct.pack(">HB", 1, 0) + config + bytes([0x06, 0x01, 0x02])
    return _full_box(b"esds", bytes([0x03, len(es)]) + es)


def m4a_bytes(seconds: float = 2.0) -> bytes:
    """An MP4 (brand M4A) with one AAC sound track of `seconds`."""
    rate = 44100
    frames = max(1, round(seconds * rate / 1024))
    frame = bytes([0x21, 0x10, 0x04, 0x60, 0x8C, 0x1C])  # a tiny silent AAC-LC frame
    ftyp = _box(b"ftyp", b"M4A " + struct.pack(">I", 0) + b"M4A isomiso2")
    duration = frames * 1024
    mvhd = _full_box(b"mvhd", struct.pack(">IIII", 0, 0, rate, duration) + bytes(80))
    tkhd = _full_box(b"tkhd", struct.pack(">IIIII", 0, 0, 1, 0, duration) + bytes(60))
    mdhd = _full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, rate, duration, 0x55C4, 0))
    hdlr = _full_box(b"hdlr", struct.pack(">I", 0) + b"soun" + bytes(12) + b"Sound\x00")
    mp4a = _box(
        b"mp4a",
        bytes(6) + struct.pack(">H", 1) + bytes(8) + struct.pack(">HHHHI", 1, 16, 0, 0, rate << 16) + _esds(),
    )
    stsd = _full_box(b"stsd", struct.pack(">I", 1) + mp4a)
    stts = _full_box(b"stts", struct.pack(">III", 1, frames, 1024))
    stsc = _full_box(b"stsc", struct.pack(">IIII", 1, 1, frames, 1))
    stsz = _full_box(b"stsz", struct.pack(">II", len(frame), frames))
    # The chunk offset is known once moov's size is: built twice.
    def moov_with(offset: int) -> bytes:
        stco = _full_box(b"stco", struct.pack(">II", 1, offset))
        stbl = _box(b"stbl", stsd + stts + stsc + stsz + stco)
        dinf = _box(b"dinf", _full_box(b"dref", struct.pack(">I", 1) + _full_box(b"url ", b"")))
        minf = _box(b"minf", _full_box(b"smhd", bytes(4)) + dinf + stbl)
        mdia = _box(b"mdia", mdhd + hdlr + minf)
        return _box(b"moov", mvhd + _box(b"trak", tkhd + mdia))

    moov = moov_with(0)
    moov = moov_with(len(ftyp) + len(moov) + 8)
    return ftyp + moov + _box(b"mdat", frame * frames)


def ogg_vorbis_bytes(seconds: float = 2.0) -> bytes:
    """Ogg Vorbis as a reader sees it: the identification, comment and
    setup headers, then audio pages whose granule positions say `seconds`
    at 44.1 kHz. (The setup header is not a real codebook, so a decoder
    would not play it; the upload checks do not decode, see routes.audio_checks.)"""
    serial, rate = 0xB0B, 44100
    ident = b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, rate, 0, 64000, 0, 0xB8, 1)
    vendor = b"heritage tests"
    comment = b"\x03vorbis" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0) + b"\x01"
    setup = b"\x05vorbis" + bytes(32)
    out = io.BytesIO()
    out.write(_ogg_page(serial, 0, 0, [ident], first=True))
    out.write(_ogg_page(serial, 1, 0, [comment, setup]))
    total, per_page, sequence, written = round(seconds * rate), rate // 2, 2, 0
    while written < total:
        written = min(written + per_page, total)
        out.write(_ogg_page(serial, sequence, written, [bytes(40)] * 4, last=written == total))
        sequence += 1
    return out.getvalue()
