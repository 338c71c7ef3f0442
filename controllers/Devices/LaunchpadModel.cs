namespace LatentTerrain.Controllers.Devices;

/// <summary>The Launchpads with programmer mode and RGB SysEx; the value is the model's SysEx device id.</summary>
public enum LaunchpadModel : byte
{
    X = 0x0C,
    MiniMk3 = 0x0D,
    ProMk3 = 0x0E,
}
