using LatentTerrain.Engine.Files;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Files;

public sealed class AtomicFileTests
{
    [Fact]
    public void Replaces_the_file_and_leaves_nothing_else_behind()
    {
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "session.json");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_as_it_was()
    {
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "session.json");
        File.WriteAllText(path, "old");
        var failure = new IOException("No space left on device");

        var thrown = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            // A megabyte really reaches the disk before the failure, as when a disk fills up.
            stream.Write(new byte[1 << 20]);
            stream.Flush();
            Assert.True(Directory.GetFiles(folder).Length == 2, "the write goes to a temporary file beside the target");
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void A_failed_first_write_creates_no_file()
    {
        string folder = Paths.NewScratch(), path = Path.Combine(folder, "session.json");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));

        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
