using LatentTerrain.Controllers.Midi;

namespace LatentTerrain.Controllers.Mpe;

/// <summary>
/// Follows the notes of an MPE controller (MIDI Polyphonic Expression, MMA RP-35) or of a plain
/// keyboard, from its messages, and reports each note's start, changes and end. One explicit state
/// machine per note (<see cref="MpeNoteState"/>), shaped after JUCE's MPEInstrument; the rules are
/// those of research/controllers.md:
/// <list type="bullet">
/// <item>Zones come from the initial layout and from MPE Configuration Messages (RPN 6 on channel 1
/// or 16); an MCM releases every note, resets every control and sets the zone's bend ranges to
/// 48 (per note) and 2 (manager). Notes on a manager channel or outside every zone are ignored.</item>
/// <item>RPN 0 sets the per-note range (on a member channel) or the manager range (on the manager), 0..96.</item>
/// <item>Total bend = per-note bend × per-note range + manager bend × manager range. Manager pressure
/// and CC74 set those of every held note of the zone.</item>
/// <item>A member channel's bend, pressure and CC74 go to the note last played on it; sent with no
/// note held, they are kept for the next note on that channel. A note started while another is held
/// on its channel starts from the defaults (pressure 0, bend and timbre centred). When a channel's
/// last held note is released its kept values are reset.</item>
/// <item>Sustain (CC64) and sostenuto (CC66) count only on the manager; a released note they hold is
/// <see cref="MpeNoteState.Sustained"/> and its expression frozen until the pedal lets it go.</item>
/// <item>Note On with velocity 0 is a Note Off with velocity 64; a second Note On for a sounding
/// channel and key ends the first note; All Notes Off, All Sound Off and Reset All Controllers on a
/// manager end every note of the zone (Reset All Controllers also resets pedals and bends).</item>
/// <item>14-bit pairs are accepted: CC74/106 (timbre) and CC70/102 (pressure), LSB after MSB.
/// Poly aftertouch sets the pressure of its key.</item>
/// <item>With no zone (<see cref="MpeZoneLayout.None"/>), a plain keyboard: each channel on its own,
/// bend range 2 (RPN 0 changes it), its notes share the channel's expression, pedals on that
/// channel; a channel's values are kept across notes, as a held wheel stays bent.</item>
/// </list>
/// Allocation-free: notes live in a fixed pool of <see cref="Capacity"/>; a Note On beyond it is
/// ignored and counted (<see cref="DroppedNotes"/>). One tracker per input, used by one thread.
/// </summary>
public sealed class MpeTracker : IMidiReceiver
{
    public const int Capacity = 128;
    public const int DefaultPerNoteRange = 48, DefaultManagerRange = 2, DefaultPlainRange = 2;
    private const float Centre = 0.5f;

    private enum Role : byte { None, Manager, Member, Plain }
    private enum Dimension : byte { Bend, Pressure, Timbre }

    private struct NoteSlot
    {
        public bool Used;
        public int Id;
        public byte Channel, Key;
        public long Order;
        public float Strike, Lift, Pressure, Timbre, Bend, FrozenBend;
        public MpeNoteState State;
        public bool CaughtBySostenuto;
        public bool IsKeyDown => State != MpeNoteState.Sustained;
    }

    private struct ChannelState
    {
        public float Bend, Pressure, Timbre;
        public byte PressureMsb, TimbreMsb;
        /// <summary>The selected registered parameter (MSB, LSB); 127/127 is none.</summary>
        public byte RpnMsb, RpnLsb;

        public void ResetExpression()
        {
            Bend = 0f;
            Pressure = 0f;
            Timbre = Centre;
            PressureMsb = 0;
            TimbreMsb = 64;
        }
    }

    /// <summary>Pedals and bend ranges of a zone; zones 0 and 1 are the lower and upper MPE zones, 2 + c plain channel c.</summary>
    private struct ZoneState
    {
        public int PerNoteRange, ManagerRange;
        public float ManagerBend;
        public bool Sustain, Sostenuto;
    }

    private const int LowerZone = 0, UpperZone = 1, FirstPlainZone = 2;

    private readonly IMpeListener _listener;
    private readonly NoteSlot[] _notes = new NoteSlot[Capacity];
    private readonly ChannelState[] _channels = new ChannelState[16];
    private readonly ZoneState[] _zones = new ZoneState[FirstPlainZone + 16];
    private int _nextId;
    private long _order;

    public MpeTracker(IMpeListener listener, MpeZoneLayout layout)
    {
        _listener = listener;
        Layout = layout;
        for (int c = 0; c < 16; c++) _channels[c].RpnMsb = _channels[c].RpnLsb = 127;
        ResetAll();
    }

    /// <summary>The zones now in force (changed by MPE Configuration Messages).</summary>
    public MpeZoneLayout Layout { get; private set; }

    /// <summary>Note Ons ignored because <see cref="Capacity"/> notes were already sounding.</summary>
    public long DroppedNotes { get; private set; }

    /// <summary>How many notes sound now (held or sustained).</summary>
    public int SoundingNotes
    {
        get
        {
            int count = 0;
            foreach (ref readonly var slot in _notes.AsSpan()) if (slot.Used) count++;
            return count;
        }
    }

    /// <summary>The per-note and manager pitch-bend ranges in semitones of the zone a channel belongs to (for plain channels the per-note range is the channel's).</summary>
    public (int PerNote, int Manager) BendRanges(MidiChannel channel)
    {
        int zone = ZoneOf(channel.Index, out _);
        return zone < 0 ? (0, 0) : (_zones[zone].PerNoteRange, _zones[zone].ManagerRange);
    }

    public void Receive(in MidiMessage message)
    {
        if (!message.IsChannelMessage) return;
        int channel = message.Channel.Index;
        switch (message.Kind)
        {
            case MidiMessageKind.NoteOn when message.Data2 == 0: NoteOff(channel, message.Data1, 64); break;
            case MidiMessageKind.NoteOn: NoteOn(channel, message.Data1, message.Data2); break;
            case MidiMessageKind.NoteOff: NoteOff(channel, message.Data1, message.Data2); break;
            case MidiMessageKind.PitchBend: Expression(channel, Dimension.Bend, message.PitchBend.Normalised); break;
            case MidiMessageKind.ChannelPressure: Expression(channel, Dimension.Pressure, message.Data1 / 127f); break;
            case MidiMessageKind.PolyAftertouch: PolyPressure(channel, message.Data1, message.Data2 / 127f); break;
            case MidiMessageKind.ControlChange: ControlChange(channel, message.Data1, message.Data2); break;
        }
    }

    /// <summary>SysEx carries no MPE state.</summary>
    public void ReceiveSysEx(ReadOnlySpan<byte> message) { }

    /// <summary>Ends every sounding note and resets every control (a device went away, or playing stops).</summary>
    public void ReleaseAll()
    {
        for (int i = 0; i < Capacity; i++) if (_notes[i].Used) End(i);
        ResetAll();
    }

    private Role RoleOf(int channel) => ZoneOf(channel, out var role) < 0 ? Role.None : role;

    private int ZoneOf(int channel, out Role role)
    {
        var layout = Layout;
        if (!layout.IsMpe)
        {
            role = Role.Plain;
            return FirstPlainZone + channel;
        }
        if (layout.LowerMembers > 0 && channel <= layout.LowerMembers)
        {
            role = channel == 0 ? Role.Manager : Role.Member;
            return LowerZone;
        }
        if (layout.UpperMembers > 0 && channel >= 15 - layout.UpperMembers)
        {
            role = channel == 15 ? Role.Manager : Role.Member;
            return UpperZone;
        }
        role = Role.None;
        return -1;
    }

    private void NoteOn(int channel, byte key, byte velocity)
    {
        int zone = ZoneOf(channel, out var role);
        if (role is not (Role.Member or Role.Plain)) return;
        int existing = Find(channel, key, keyDownOnly: false);
        if (existing >= 0) End(existing);
        int free = Array.FindIndex(_notes, static n => !n.Used);
        if (free < 0)
        {
            DroppedNotes++;
            return;
        }
        ref var channelState = ref _channels[channel];
        bool takesKept = role == Role.Plain || LastKeyDown(channel) < 0;
        ref var slot = ref _notes[free];
        slot = new NoteSlot
        {
            Used = true,
            Id = _nextId,
            Channel = (byte)channel,
            Key = key,
            Order = ++_order,
            Strike = velocity / 127f,
            Pressure = takesKept ? channelState.Pressure : 0f,
            Timbre = takesKept ? channelState.Timbre : Centre,
            Bend = takesKept ? channelState.Bend : 0f,
            State = _zones[zone].Sustain ? MpeNoteState.KeyDownAndSustained : MpeNoteState.KeyDown,
        };
        _nextId = (_nextId + 1) & int.MaxValue;
        _listener.NoteStarted(Snapshot(free));
    }

    private void NoteOff(int channel, byte key, byte velocity)
    {
        int zone = ZoneOf(channel, out var role);
        if (role is not (Role.Member or Role.Plain)) return;
        int index = Find(channel, key, keyDownOnly: true);
        if (index < 0) return;
        ref var slot = ref _notes[index];
        slot.Lift = velocity / 127f;
        if (_zones[zone].Sustain || slot.CaughtBySostenuto)
        {
            slot.FrozenBend = TotalBend(index);
            slot.State = MpeNoteState.Sustained;
        }
        else End(index);
        if (role == Role.Member && LastKeyDown(channel) < 0) _channels[channel].ResetExpression();
    }

    private void Expression(int channel, Dimension dimension, float value)
    {
        int zone = ZoneOf(channel, out var role);
        if (role == Role.None) return;
        if (role == Role.Manager)
        {
            if (dimension == Dimension.Bend) _zones[zone].ManagerBend = value;
            for (int i = 0; i < Capacity; i++)
            {
                ref var slot = ref _notes[i];
                if (!slot.Used || !slot.IsKeyDown || ZoneOf(slot.Channel, out _) != zone) continue;
                if (dimension != Dimension.Bend) Set(ref slot, dimension, value);
                _listener.NoteChanged(Snapshot(i));
            }
            return;
        }
        ref var channelState = ref _channels[channel];
        switch (dimension)
        {
            case Dimension.Bend: channelState.Bend = value; break;
            case Dimension.Pressure: channelState.Pressure = value; break;
            case Dimension.Timbre: channelState.Timbre = value; break;
        }
        if (role == Role.Member)
        {
            int last = LastKeyDown(channel);
            if (last < 0) return;
            Set(ref _notes[last], dimension, value);
            _listener.NoteChanged(Snapshot(last));
            return;
        }
        for (int i = 0; i < Capacity; i++)
        {
            ref var slot = ref _notes[i];
            if (!slot.Used || !slot.IsKeyDown || slot.Channel != channel) continue;
            Set(ref slot, dimension, value);
            _listener.NoteChanged(Snapshot(i));
        }
    }

    private static void Set(ref NoteSlot slot, Dimension dimension, float value)
    {
        switch (dimension)
        {
            case Dimension.Bend: slot.Bend = value; break;
            case Dimension.Pressure: slot.Pressure = value; break;
            case Dimension.Timbre: slot.Timbre = value; break;
        }
    }

    private void PolyPressure(int channel, byte key, float value)
    {
        if (RoleOf(channel) is not (Role.Member or Role.Plain)) return;
        int index = Find(channel, key, keyDownOnly: true);
        if (index < 0) return;
        _notes[index].Pressure = value;
        _listener.NoteChanged(Snapshot(index));
    }

    private void ControlChange(int channel, byte controller, byte value)
    {
        ref var state = ref _channels[channel];
        switch (controller)
        {
            case 74: state.TimbreMsb = value; Expression(channel, Dimension.Timbre, value / 127f); break;
            case 74 + 32: Expression(channel, Dimension.Timbre, (state.TimbreMsb << 7 | value) / 16383f); break;
            case 70: state.PressureMsb = value; Expression(channel, Dimension.Pressure, value / 127f); break;
            case 70 + 32: Expression(channel, Dimension.Pressure, (state.PressureMsb << 7 | value) / 16383f); break;
            case 64: Sustain(channel, value >= 64); break;
            case 66: Sostenuto(channel, value >= 64); break;
            case 101: state.RpnMsb = value; break;
            case 100: state.RpnLsb = value; break;
            case 99 or 98: state.RpnMsb = state.RpnLsb = 127; break; // an NRPN deselects the RPN
            case 6: DataEntry(channel, value); break;
            case 120 or 123: EndZone(channel, resetControls: false); break;
            case 121: EndZone(channel, resetControls: true); break;
        }
    }

    private void DataEntry(int channel, byte value)
    {
        ref var state = ref _channels[channel];
        if (state.RpnMsb != 0) return;
        if (state.RpnLsb == 6 && channel is 0 or 15) Configure(channel == 0, Math.Min((int)value, 15));
        else if (state.RpnLsb == 0)
        {
            int zone = ZoneOf(channel, out var role);
            int range = Math.Min((int)value, 96);
            if (role == Role.Manager) _zones[zone].ManagerRange = range;
            else if (role is Role.Member or Role.Plain) _zones[zone].PerNoteRange = range;
        }
    }

    /// <summary>An MPE Configuration Message: the new layout, every note released, every control reset.</summary>
    private void Configure(bool lower, int members)
    {
        for (int i = 0; i < Capacity; i++) if (_notes[i].Used) End(i);
        Layout = lower ? Layout.WithLower(members) : Layout.WithUpper(members);
        ResetAll();
    }

    private void Sustain(int channel, bool down)
    {
        int zone = ZoneOf(channel, out var role);
        if (role is not (Role.Manager or Role.Plain)) return;
        _zones[zone].Sustain = down;
        for (int i = 0; i < Capacity; i++)
        {
            ref var slot = ref _notes[i];
            if (!slot.Used || ZoneOf(slot.Channel, out _) != zone) continue;
            if (slot.IsKeyDown) slot.State = down || slot.CaughtBySostenuto ? MpeNoteState.KeyDownAndSustained : MpeNoteState.KeyDown;
            else if (!down && !slot.CaughtBySostenuto) End(i);
        }
    }

    private void Sostenuto(int channel, bool down)
    {
        int zone = ZoneOf(channel, out var role);
        if (role is not (Role.Manager or Role.Plain)) return;
        _zones[zone].Sostenuto = down;
        for (int i = 0; i < Capacity; i++)
        {
            ref var slot = ref _notes[i];
            if (!slot.Used || ZoneOf(slot.Channel, out _) != zone) continue;
            if (down)
            {
                // Sostenuto catches only the notes held when it goes down.
                if (slot.IsKeyDown)
                {
                    slot.CaughtBySostenuto = true;
                    slot.State = MpeNoteState.KeyDownAndSustained;
                }
                continue;
            }
            slot.CaughtBySostenuto = false;
            if (slot.IsKeyDown) slot.State = _zones[zone].Sustain ? MpeNoteState.KeyDownAndSustained : MpeNoteState.KeyDown;
            else if (!_zones[zone].Sustain) End(i);
        }
    }

    private void EndZone(int channel, bool resetControls)
    {
        int zone = ZoneOf(channel, out var role);
        if (role is not (Role.Manager or Role.Plain)) return;
        for (int i = 0; i < Capacity; i++)
            if (_notes[i].Used && ZoneOf(_notes[i].Channel, out _) == zone) End(i);
        if (!resetControls) return;
        ref var state = ref _zones[zone];
        (state.Sustain, state.Sostenuto, state.ManagerBend) = (false, false, 0f);
        for (int c = 0; c < 16; c++) if (ZoneOf(c, out _) == zone) _channels[c].ResetExpression();
    }

    private void ResetAll()
    {
        for (int c = 0; c < 16; c++) _channels[c].ResetExpression();
        for (int z = 0; z < _zones.Length; z++)
            _zones[z] = new ZoneState
            {
                PerNoteRange = z < FirstPlainZone ? DefaultPerNoteRange : DefaultPlainRange,
                ManagerRange = z < FirstPlainZone ? DefaultManagerRange : 0,
            };
    }

    private void End(int index)
    {
        _listener.NoteEnded(Snapshot(index));
        _notes[index].Used = false;
    }

    private int Find(int channel, byte key, bool keyDownOnly)
    {
        for (int i = 0; i < Capacity; i++)
        {
            ref var slot = ref _notes[i];
            if (slot.Used && slot.Channel == channel && slot.Key == key && (!keyDownOnly || slot.IsKeyDown)) return i;
        }
        return -1;
    }

    /// <summary>The held note played last on a channel ("last note played on channel" tracking), or -1.</summary>
    private int LastKeyDown(int channel)
    {
        int found = -1;
        for (int i = 0; i < Capacity; i++)
        {
            ref var slot = ref _notes[i];
            if (slot.Used && slot.IsKeyDown && slot.Channel == channel && (found < 0 || slot.Order > _notes[found].Order)) found = i;
        }
        return found;
    }

    private float TotalBend(int index)
    {
        ref var slot = ref _notes[index];
        if (!slot.IsKeyDown) return slot.FrozenBend;
        ref var zone = ref _zones[ZoneOf(slot.Channel, out _)];
        return slot.Bend * zone.PerNoteRange + zone.ManagerBend * zone.ManagerRange;
    }

    private MpeNote Snapshot(int index)
    {
        ref var slot = ref _notes[index];
        return new MpeNote(slot.Id, new MidiChannel(slot.Channel), new SevenBitNumber(slot.Key), slot.Strike, slot.Lift, slot.Pressure, slot.Timbre, TotalBend(index), slot.State);
    }
}
