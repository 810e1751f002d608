"""Core: Time, Simulator, events, exceptions from callbacks, Config, GlobalValue, RNG."""

import pytest

import ns3divert as ns


def test_time_helpers_and_arithmetic():
    assert ns.Seconds(1.5).GetSeconds() == 1.5
    assert ns.MilliSeconds(3).GetMicroSeconds() == 3000
    assert ns.MicroSeconds(7).GetNanoSeconds() == 7000
    assert ns.NanoSeconds(5).GetNanoSeconds() == 5
    assert ns.Minutes(1) == ns.Seconds(60)
    assert ns.Time("10ms") == ns.MilliSeconds(10)
    assert ns.Seconds(1) + ns.MilliSeconds(500) == ns.Seconds(1.5)
    assert ns.Seconds(2) - ns.Seconds(0.5) == ns.MilliSeconds(1500)
    assert ns.Seconds(1) * 3 == ns.Seconds(3)
    assert 2 * ns.Seconds(1) == ns.Seconds(2)
    assert ns.Seconds(3) / ns.Seconds(1.5) == 2.0
    assert ns.Seconds(3) / 3 == ns.Seconds(1)
    assert ns.Seconds(1) < ns.Seconds(2) <= ns.Seconds(2)
    assert -ns.Seconds(1) < ns.Time()
    assert not ns.Time()
    assert str(ns.Seconds(1.5)) == "+1.5s"
    assert eval("ns." + repr(ns.MilliSeconds(250))) == ns.MilliSeconds(250)
    assert len({ns.Seconds(1), ns.MilliSeconds(1000)}) == 1


def test_time_refuses_garbage_instead_of_aborting():
    with pytest.raises(ValueError):
        ns.Time("ten seconds")
    with pytest.raises(ValueError):
        ns.Time("5parsecs")


def test_schedule_python_callables_in_order():
    seen = []
    ns.Simulator.Schedule(ns.Seconds(2), seen.append, "b")
    ns.Simulator.Schedule(ns.Seconds(1), lambda: seen.append(("a", ns.Simulator.Now())))
    ns.Simulator.Schedule(ns.Seconds(3), lambda x, y=0: seen.append(x + y), 1, y=2)
    ns.Simulator.Run()
    assert seen == [("a", ns.Seconds(1)), "b", 3]
    assert ns.Simulator.Now() == ns.Seconds(3)
    assert ns.Simulator.IsFinished()


def test_schedule_now_nested_and_cancel():
    seen = []

    def first():
        seen.append(ns.Simulator.Now().GetSeconds())
        ns.Simulator.ScheduleNow(seen.append, "now")
        ns.Simulator.Schedule(ns.MilliSeconds(5), seen.append, "later")

    ns.Simulator.Schedule(ns.Seconds(1), first)
    cancelled = ns.Simulator.Schedule(ns.Seconds(1.5), seen.append, "cancelled")
    assert cancelled.IsRunning()
    cancelled.Cancel()
    ns.Simulator.Run()
    assert seen == [1.0, "now", "later"]
    assert cancelled.IsExpired()


def test_stop_and_run_again():
    ticks = []

    def tick():
        ticks.append(ns.Simulator.Now().GetSeconds())
        ns.Simulator.Schedule(ns.Seconds(1), tick)

    ns.Simulator.Schedule(ns.Seconds(1), tick)
    ns.Simulator.Stop(ns.Seconds(3.5))
    ns.Simulator.Run()
    assert ticks == [1.0, 2.0, 3.0]
    ns.Simulator.Stop(ns.Seconds(2))
    ns.Simulator.Run()
    assert ticks == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_schedule_refuses_non_callables_and_negative_delays():
    with pytest.raises(TypeError):
        ns.Simulator.Schedule(ns.Seconds(1), 42)
    with pytest.raises(ValueError):
        ns.Simulator.Schedule(-ns.Seconds(1), print)


class Boom(Exception):
    """Raised by a callback."""


def test_exception_in_event_stops_run_and_is_raised():
    seen = []

    def bad():
        raise Boom("from an event")

    ns.Simulator.Schedule(ns.Seconds(1), bad)
    ns.Simulator.Schedule(ns.Seconds(1), seen.append, "same time, after")
    ns.Simulator.Schedule(ns.Seconds(2), seen.append, "later")
    with pytest.raises(Boom, match="from an event"):
        ns.Simulator.Run()
    # The simulation stopped at once: nothing after the failing event ran.
    assert seen == []
    assert ns.Simulator.Now() == ns.Seconds(1)
    # The error is gone once raised: the simulation can go on.
    ns.Simulator.Run()
    assert seen == ["same time, after", "later"]


def test_exception_traceback_points_at_the_callback():
    def bad():
        return 1 / 0

    ns.Simulator.Schedule(ns.Seconds(1), bad)
    with pytest.raises(ZeroDivisionError) as info:
        ns.Simulator.Run()
    assert any(entry.name == "bad" for entry in info.traceback)


def test_schedule_destroy_runs_on_destroy():
    seen = []
    ns.Simulator.ScheduleDestroy(seen.append, "destroyed")
    ns.Simulator.Run()
    assert seen == []
    ns.Simulator.Destroy()
    assert seen == ["destroyed"]


def test_schedule_with_context():
    nodes = ns.NodeContainer(2)
    contexts = []
    ns.Simulator.ScheduleWithContext(nodes[1].GetId(), ns.Seconds(1),
                                     lambda: contexts.append(ns.Simulator.GetContext()))
    ns.Simulator.Run()
    assert contexts == [1]


def test_config_set_default_with_python_values():
    ns.Config.SetDefault("ns3::DivertIpv4L3Protocol::PassThrough", True)
    ns.Config.SetDefault("ns3::DivertIpv4L3Protocol::MaxDivertPasses", 3)
    ns.Config.SetDefault("ns3::DivertIpv4L3Protocol::ReinjectionMode", "Restart")
    ns.Config.SetDefault("ns3::PointToPointNetDevice::DataRate", "5Mbps")
    ns.Config.SetDefault("ns3::PointToPointChannel::Delay", ns.MilliSeconds(7))
    nodes = ns.NodeContainer(1)
    ns.DivertStackHelper().Install(nodes)
    stack = ns.DivertStackHelper.GetStack(nodes[0])
    assert stack.GetAttribute("PassThrough") is True
    assert stack.GetAttribute("MaxDivertPasses") == 3
    assert stack.GetAttribute("ReinjectionMode") == "Restart"
    devices = ns.PointToPointHelper().Install(ns.NodeContainer(2))
    assert devices[0].GetAttribute("DataRate") == ns.DataRate("5Mbps")
    assert devices[0].GetChannel().GetAttribute("Delay") == ns.MilliSeconds(7)


@pytest.mark.parametrize("name, value, exc", [
    ("ns3::DivertIpv4L3Protocol::NoSuchThing", True, ValueError),
    ("ns3::NoSuchType::PassThrough", True, ValueError),
    ("PassThrough", True, ValueError),
    ("ns3::DivertIpv4L3Protocol::ReinjectionMode", "Sideways", ValueError),
    ("ns3::DivertIpv4L3Protocol::MaxDivertPasses", -1, ValueError),
    ("ns3::DivertIpv4L3Protocol::MaxDivertPasses", "many", ValueError),
    ("ns3::PointToPointChannel::Delay", "2 fortnights", ValueError),
    ("ns3::DivertInterceptor::ProcessingDelay", "ns3::NoSuchRandomVariable", ValueError),
    ("ns3::DivertIpv4L3Protocol::PassThrough", object(), TypeError),
])
def test_config_errors_raise_instead_of_aborting(name, value, exc):
    with pytest.raises(exc):
        ns.Config.SetDefault(name, value)


def test_config_set_and_connect_by_path():
    line_nodes = ns.NodeContainer(2)
    ns.DivertStackHelper().Install(line_nodes)
    n = ns.Config.Set("/NodeList/*/$ns3::DivertIpv4L3Protocol/MaxDivertPasses", 5)
    assert n == 2
    for node in line_nodes:
        assert ns.DivertStackHelper.GetStack(node).GetAttribute("MaxDivertPasses") == 5
    with pytest.raises(ValueError, match="not found"):
        ns.Config.Set("/NodeList/*/$ns3::DivertIpv4L3Protocol/Bogus", 5)
    assert ns.Config.Set("/NodeList/99/$ns3::DivertIpv4L3Protocol/MaxDivertPasses", 5) == 0
    connected = ns.Config.Connect("/NodeList/*/$ns3::DivertIpv4L3Protocol/Diverted",
                                  lambda ctx, p, port, iface: None)
    assert connected == 2
    with pytest.raises(ValueError, match="trace source 'Nope' not found"):
        ns.Config.ConnectWithoutContext("/NodeList/*/$ns3::DivertIpv4L3Protocol/Nope", print)
    objects = ns.Config.LookupMatches("/NodeList/*")
    assert [o.GetId() for o in objects] == [0, 1]


def test_global_value_checksum_enabled():
    assert ns.GlobalValue.GetValueByName("ChecksumEnabled") is False
    ns.GlobalValue.Bind("ChecksumEnabled", True)
    assert ns.GlobalValue.GetValueByName("ChecksumEnabled") is True
    ns.Config.Reset()
    assert ns.GlobalValue.GetValueByName("ChecksumEnabled") is False
    assert "ChecksumEnabled" in ns.GlobalValue.GetNames()
    with pytest.raises(ValueError):
        ns.GlobalValue.Bind("NoSuchGlobal", 1)
    with pytest.raises(ValueError):
        ns.GlobalValue.Bind("ChecksumEnabled", "perhaps")


def test_rng_seed_manager_changes_random_draws():
    def draws():
        v = ns.CreateObject("ns3::UniformRandomVariable", Min=0.0, Max=10.0)
        assert isinstance(v, ns.RandomVariableStream)
        v.SetStream(7)  # automatic stream numbers keep growing across runs
        return [v.GetValue() for _ in range(3)]

    ns.RngSeedManager.SetSeed(3)
    ns.RngSeedManager.SetRun(4)
    assert (ns.RngSeedManager.GetSeed(), ns.RngSeedManager.GetRun()) == (3, 4)
    first = draws()
    assert all(0.0 <= x <= 10.0 for x in first)
    ns.Simulator.Destroy()
    ns.RngSeedManager.SetRun(4)
    assert draws() == first
    ns.Simulator.Destroy()
    ns.RngSeedManager.SetRun(5)
    assert draws() != first


def test_typeid_and_create_object():
    tid = ns.TypeId.LookupByName("ns3::DivertIpv4L3Protocol")
    assert tid.GetName() == "ns3::DivertIpv4L3Protocol"
    assert tid.GetParent().GetName() == "ns3::Ipv4L3Protocol"
    assert "PassThrough" in tid.GetAttributeNames()
    assert {"Diverted", "Reinjected", "Injected", "DivertDrop", "Logged",
            "Rejected", "Tx"} <= set(tid.GetTraceSourceNames())
    assert tid.GetTraceSourceSignature("Diverted") == \
        "ns3::DivertIpv4L3Protocol::DivertTracedCallback"
    with pytest.raises(ValueError):
        ns.TypeId.LookupByName("ns3::Nope")
    chains = ns.CreateObject("ns3::Ipchains", RefuseLoops=False)
    assert isinstance(chains, ns.Ipchains)
    assert chains.GetAttribute("RefuseLoops") is False
    with pytest.raises(ValueError):
        ns.CreateObject("ns3::Ipchains", Nope=1)


def test_object_attributes_errors():
    chains = ns.Ipchains()
    with pytest.raises(ValueError, match="attribute 'Nope' not found in ns3::Ipchains"):
        chains.SetAttribute("Nope", 1)
    with pytest.raises(ValueError):
        chains.GetAttribute("Nope")
    with pytest.raises(ValueError, match="trace source 'Nope' not found"):
        chains.TraceConnectWithoutContext("Nope", print)
    with pytest.raises(TypeError):
        chains.TraceConnectWithoutContext("Log", 3)


def test_log_component_enable():
    ns.LogComponentEnable("DivertIpv4L3Protocol", ns.LOG_LEVEL_WARN)
    ns.LogComponentDisable("DivertIpv4L3Protocol", ns.LOG_LEVEL_ALL)
    with pytest.raises(ValueError):
        ns.LogComponentEnable("NoSuchComponent", ns.LOG_LEVEL_ALL)


def test_error_in_destroy_event_raised_by_destroy():
    ns.Simulator.ScheduleDestroy(lambda: 1 / 0)
    ns.Simulator.Run()
    with pytest.raises(ZeroDivisionError):
        ns.Simulator.Destroy()
