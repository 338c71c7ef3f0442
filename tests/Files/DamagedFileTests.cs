using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Tests.Support;

namespace LatentTerrain.Tests.Files;

/// <summary>Whatever damage a file has, loading it ends in a terrain or in one clear <see cref="TerrainFileException"/>, never in another exception.</summary>
public sealed class DamagedFileTests
{
    [Theory]
    [InlineData("terrain")]
    [InlineData("checkpoint")]
    public void Every_damage_ends_in_a_terrain_file_exception(string kind)
    {
        string folder = Paths.NewScratch(), source = Path.Combine(folder, "source"), path = Path.Combine(folder, "damaged");
        if (kind == "terrain")
            TerrainFile.Save(TerrainNetwork.Create(new TerrainConfig { LatentSize = 3, Width = 16, FourierFeatures = 8 }), source);
        else
            File.Copy(Paths.Fixture("nn_terrain", "percussion-terrain-demo.pt"), source);
        byte[] original = File.ReadAllBytes(source);
        // The header and the pickle sit in the first and last few kilobytes; damage there says the most.
        int Position(Random random) => random.Next(2) == 0 ? random.Next(Math.Min(4096, original.Length)) : original.Length - 1 - random.Next(Math.Min(12000, original.Length));

        var random = new Random(17);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            if (trial % 3 == 0)
                damaged = damaged[..Position(random)];
            else
                for (int flips = random.Next(1, 4); flips > 0; flips--) damaged[Position(random)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(path, damaged);

            try
            {
                TerrainFile.Load(path);
            }
            catch (TerrainFileException e)
            {
                Assert.Equal(path, e.Path);
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }
}
