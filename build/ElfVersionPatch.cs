using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one symbol-version requirement (e.g. GLIBCXX_3.4.32) in the .gnu.version_r section
/// of 64-bit little-endian ELF shared libraries, so the dynamic loader no longer refuses them when the
/// system library lacks that version.
/// </summary>
public sealed class MarkGlibcxxVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                int patched = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Low, $"{path}: {patched} version requirement(s) '{VersionName}' marked weak");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"cannot patch '{path}': {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static int Patch(string path, string versionName)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int patched = 0;
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            Check(elf, sh, 64);
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strSh = shoff + (long)link * shentsize;
            Check(elf, strSh, 64);
            long strOffset = (long)BitConverter.ToUInt64(elf, (int)strSh + 24);
            long need = offset;
            for (int n = 0; n < count; n++)
            {
                Check(elf, need, 16);
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(elf, aux, 16);
                    long name = strOffset + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, name) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)flags;
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed = true;
                        }
                        patched++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0)
                {
                    break;
                }
                need += next;
            }
        }
        if (changed)
        {
            File.WriteAllBytes(path, elf);
        }
        return patched;
    }

    private static void Check(byte[] elf, long offset, int length)
    {
        if (offset < 0 || offset + length > elf.Length)
        {
            throw new InvalidDataException($"ELF structure at offset {offset} lies outside the file");
        }
    }

    private static string ReadString(byte[] elf, long offset)
    {
        Check(elf, offset, 1);
        int end = (int)offset;
        while (end < elf.Length && elf[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
    }
}
