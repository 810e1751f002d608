/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The extension module _ns3divert, imported by the package ns3divert.

#include "ns3divert.h"

#include "ns3/simulator.h"

PYBIND11_MODULE(_ns3divert, m)
{
    m.doc() = "pybind11 bindings of ns-3 (core, network, internet, applications,\n"
              "point-to-point, csma) and of the divert module. Import ns3divert.";

    // Order matters: a base class is registered before its subclasses.
    ns3py::BindCore(m);
    ns3py::BindNetwork(m);
    ns3py::BindInternet(m);
    ns3py::BindHelpers(m);
    ns3py::BindDivert(m);
    ns3py::BindTraces(m);

    m.def("_LiveCallableCount",
          &ns3py::PyCallable::GetLiveCount,
          "How many Python callables ns-3 holds now (for leak tests).");

    // A script that forgets Simulator.Destroy() still gets its pcap files
    // flushed, and ns-3 lets go of Python callables while Python still runs.
    pybind11::module_::import("atexit").attr("register")(pybind11::cpp_function([]() {
        ns3::Simulator::Destroy();
        ns3py::PyCallable::ReleaseAll();
        try
        {
            ns3py::RaisePendingError(); // never left for static destructors
        }
        catch (pybind11::error_already_set& e)
        {
            e.discard_as_unraisable("ns3divert: error in a callback at exit");
        }
    }));
}
