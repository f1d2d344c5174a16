"""Which code points were assigned by a given Unicode version, from Perl's Unicode::UCD (Present_In)."""
import subprocess


def present_in(age):
    """A bytearray over all code points: 1 where the character is assigned in Unicode `age`."""
    out = subprocess.run(
        ["perl", "-MUnicode::UCD=prop_invlist", "-e", f'print join(",", prop_invlist("Present_In={age}"))'],
        check=True, capture_output=True, text=True).stdout
    bounds = [int(x) for x in out.split(",")]
    present = bytearray(0x110000)
    for i in range(0, len(bounds), 2):
        end = bounds[i + 1] if i + 1 < len(bounds) else 0x110000
        present[bounds[i]:end] = b"\x01" * (end - bounds[i])
    return present
