namespace LatentTerrain.Tests.Support;

/// <summary>The Python that runs the PyTorch peers: Debian's, where python3-torch installs.</summary>
public static class Peer
{
    public static string Python => "/usr/bin/python3";
}
