"""Check an uploaded audio guide file from its bytes, never its name or type.

Accepted: MP3 (MPEG Layer III), Ogg Opus, Ogg Vorbis, M4A with AAC; at most
20 MB (else 413) and 20 minutes (else 400). The checks run cheapest first:

1. size in bytes, before anything parses the file;
2. the container from its first bytes ("OggS", an MP4 `ftyp` box, an ID3v2
   tag or an MPEG frame sync); anything else is refused;
3. the container's structure end to end, which is what catches a truncated
   or damaged upload (mutagen reads headers only): every MPEG frame header
   valid and the last frame complete; every Ogg page's CRC right, one
   logical stream from its first to its last page; the MP4 top-level boxes
   tiling the file exactly;
4. mutagen (a maintained tag and stream-info reader) for the codec and the
   duration: an Ogg file must be Opus or Vorbis, an MP4 must be AAC.

Nothing here writes: routes.audio stores what passed.
"""

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass

from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from editorial.uploads import UploadRejected
from routes.models import AUDIO_MAX_BYTES, AUDIO_MAX_DURATION_S, AUDIO_MEDIA_TYPES, AudioFormat

EXTENSIONS = {
    AudioFormat.MP3: "mp3",
    AudioFormat.OGG_OPUS: "opus",
    AudioFormat.OGG_VORBIS: "ogg",
    AudioFormat.M4A_AAC: "m4a",
}
UNSUPPORTED = "The file is not MP3, Ogg Opus, Ogg Vorbis or M4A (AAC) audio."
DAMAGED = "The audio file is damaged or truncated."
# Everything mutagen or struct may raise on hostile input.
PARSE_ERRORS = (MutagenError, EOFError, struct.error, ValueError, IndexError, KeyError, OverflowError)


class AudioRejected(UploadRejected):
    default_code = "invalid_audio"


@dataclass(frozen=True)
class CheckedAudio:
    data: bytes
    format: str
    duration_s: float
    size_bytes: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def media_type(self) -> str:
        return AUDIO_MEDIA_TYPES[self.format]


def read_upload(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > AUDIO_MAX_BYTES:
        raise AudioRejected("The audio file is larger than 20 MB.", status=413, code="too_large")
    upload.seek(0)
    data = upload.read(AUDIO_MAX_BYTES + 1)
    if len(data) > AUDIO_MAX_BYTES:
        raise AudioRejected("The audio file is larger than 20 MB.", status=413, code="too_large")
    if not data:
        raise AudioRejected("The file is empty.", code="empty")
    return data


def check_audio(upload) -> CheckedAudio:
    """Run every check on an uploaded file; raise AudioRejected or return
    the bytes with their real format, duration, size and SHA-256."""
    data = read_upload(upload)
    if data.startswith(b"OggS"):
        audio_format, duration = _check_ogg(data)
    elif data[4:8] == b"ftyp":
        audio_format, duration = _check_mp4(data)
    elif data.startswith(b"ID3") or _mpeg_header(data, 0) is not None:
        audio_format, duration = _check_mp3(data)
    else:
        raise AudioRejected(UNSUPPORTED, code="unsupported_format")
    if not duration > 0:
        raise AudioRejected("The audio file holds no sound.", code="empty")
    if duration > AUDIO_MAX_DURATION_S:
        minutes, seconds = divmod(int(duration), 60)
        msg = f"The recording lasts {minutes}:{seconds:02d} (at least); the limit is 20 minutes."
        raise AudioRejected(msg, code="too_long")
    return CheckedAudio(
        data=data,
        format=audio_format,
        duration_s=round(duration, 3),
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _mutagen_length(reader, data: bytes) -> float:
    try:
        return float(reader(io.BytesIO(data)).info.length)
    except PARSE_ERRORS as error:
        raise AudioRejected(DAMAGED, code="damaged") from error


# --- MP3 ---------------------------------------------------------------------

# Layer III bit rates (kbit/s) by index, for MPEG-1 and for MPEG-2/2.5.
MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
# How far past the ID3v2 tag the first frame may start (encoders pad a little).
MP3_MAX_LEADING_JUNK = 4096


def _mpeg_header(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """(frame length, samples, sample rate) of a Layer III frame header at
    `pos`, or None when there is none."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = (data[pos + 1] >> 1) & 0x3  # 1: Layer III
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 0x3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved values, other layers, free format
    padding = (data[pos + 2] >> 1) & 0x1
    bitrate = MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    sample_rate = MP3_SAMPLE_RATES[version][rate_index]
    samples = 1152 if version == 3 else 576
    return samples // 8 * bitrate // sample_rate + padding, samples, sample_rate


def _id3v2_end(data: bytes) -> int:
    if not data.startswith(b"ID3") or len(data) < 10:
        return 0
    size_bytes = data[6:10]
    if any(byte & 0x80 for byte in size_bytes):
        raise AudioRejected(DAMAGED, code="damaged")
    size = (size_bytes[0] << 21) | (size_bytes[1] << 14) | (size_bytes[2] << 7) | size_bytes[3]
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def _check_mp3(data: bytes) -> tuple[str, float]:
    start = _id3v2_end(data)
    end = len(data) - (128 if data[-128:-125] == b"TAG" else 0)  # ID3v1 at the end
    pos = start
    while pos < min(end, start + MP3_MAX_LEADING_JUNK) and _mpeg_header(data, pos) is None:
        pos += 1
    if _mpeg_header(data, pos) is None:
        raise AudioRejected(UNSUPPORTED if start == 0 else DAMAGED, code="unsupported_format")
    seconds, first = 0.0, _mpeg_header(data, pos)
    while pos < end:
        header = _mpeg_header(data, pos)
        if header is None or header[2] != first[2]:
            raise AudioRejected(DAMAGED, code="damaged")
        length, samples, sample_rate = header
        if pos + length > end:
            raise AudioRejected(DAMAGED, code="damaged")  # the last frame is cut short
        seconds += samples / sample_rate
        pos += length
        if seconds > AUDIO_MAX_DURATION_S + 1:
            break  # too long already: check_audio says so without walking the rest
    # mutagen must read it too; the frames walked are the duration a player plays.
    _mutagen_length(MP3, data)
    return AudioFormat.MP3, seconds


# --- Ogg ---------------------------------------------------------------------


# Ogg's CRC-32 is the unreflected form of zlib's: bit-reverse every byte in,
# and the result's bytes out (what mutagen.ogg does when it writes a page),
# so the checksum runs in C, not a Python loop per byte.
BIT_REVERSED = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def ogg_crc(page: bytes) -> int:
    """The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, unreflected,
    no pre or post inversion) over the page with its checksum field zeroed."""
    data = page[:22] + b"\0\0\0\0" + page[26:]
    crc = ~zlib.crc32(data.translate(BIT_REVERSED), -1) & 0xFFFFFFFF
    return struct.unpack("<I", struct.pack(">I", crc).translate(BIT_REVERSED))[0]


# Encoders write a page per second or so; one per 20 ms packet over 20
# minutes is 60,000. More is a file built to make the walk slow.
MAX_OGG_PAGES = 100_000


def _check_ogg(data: bytes) -> tuple[str, float]:
    stream = io.BytesIO(data)
    pages = []
    while stream.tell() < len(data):
        if len(pages) >= MAX_OGG_PAGES:
            raise AudioRejected(DAMAGED, code="damaged")
        start = stream.tell()
        try:
            page = OggPage(stream)
        except PARSE_ERRORS as error:
            raise AudioRejected(DAMAGED, code="damaged") from error
        raw = data[start : stream.tell()]
        if struct.unpack("<I", raw[22:26])[0] != ogg_crc(raw):
            raise AudioRejected(DAMAGED, code="damaged")
        pages.append(page)
    serials = {page.serial for page in pages}
    if len(serials) != 1 or not pages[0].first or not pages[-1].last or not pages[0].packets:
        # A chained or multiplexed file (a video, say), or one cut short.
        raise AudioRejected(DAMAGED if len(serials) == 1 else UNSUPPORTED, code="damaged")
    head = pages[0].packets[0]
    if head.startswith(b"OpusHead"):
        return AudioFormat.OGG_OPUS, _mutagen_length(OggOpus, data)
    if head.startswith(b"\x01vorbis"):
        return AudioFormat.OGG_VORBIS, _mutagen_length(OggVorbis, data)
    raise AudioRejected(UNSUPPORTED, code="unsupported_format")


# --- MP4 ---------------------------------------------------------------------

AAC_CODECS = ("mp4a.40.", "mp4a.66", "mp4a.67", "mp4a.68")
# An audio MP4 has a handful (ftyp, moov, mdat, free, maybe uuid/meta).
MAX_TOP_LEVEL_BOXES = 1000


def _top_level_boxes(data: bytes) -> list[bytes]:
    """The kinds of the top-level boxes, which must tile the file exactly."""
    kinds, pos = [], 0
    while pos < len(data):
        if len(kinds) >= MAX_TOP_LEVEL_BOXES:
            raise AudioRejected(DAMAGED, code="damaged")
        if pos + 8 > len(data):
            raise AudioRejected(DAMAGED, code="damaged")
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            if pos + 16 > len(data):
                raise AudioRejected(DAMAGED, code="damaged")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = len(data) - pos  # "to the end of the file"
        if size < 8 or pos + size > len(data):
            raise AudioRejected(DAMAGED, code="damaged")
        kinds.append(kind)
        pos += size
    return kinds


def _check_mp4(data: bytes) -> tuple[str, float]:
    kinds = _top_level_boxes(data)
    if kinds[0] != b"ftyp" or b"moov" not in kinds or b"mdat" not in kinds:
        raise AudioRejected(DAMAGED, code="damaged")
    try:
        info = MP4(io.BytesIO(data)).info
    except PARSE_ERRORS as error:
        raise AudioRejected(DAMAGED, code="damaged") from error
    if not str(info.codec).startswith(AAC_CODECS):
        raise AudioRejected(UNSUPPORTED, code="unsupported_format")
    if b"vide" in data[: data.find(b"mdat")] and _has_video_track(data):
        raise AudioRejected("The file is a video; upload the sound alone.", code="unsupported_format")
    return AudioFormat.M4A_AAC, float(info.length)


def _has_video_track(data: bytes) -> bool:
    from mutagen.mp4 import Atoms

    try:
        atoms = Atoms(io.BytesIO(data))
        tracks = [atom for atom in atoms.path(b"moov")[0].children if atom.name == b"trak"]
    except PARSE_ERRORS:
        return True
    for track in tracks:
        for mdia in track.findall(b"mdia"):
            for hdlr in mdia.findall(b"hdlr"):
                if data[hdlr.offset + 16 : hdlr.offset + 20] == b"vide":
                    return True
    return False
