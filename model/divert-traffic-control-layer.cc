/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-traffic-control-layer.h"

#include "ipv4-options-queue-disc-item.h"
#include "ipv4-options-tag.h"

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertTrafficControlLayer");

NS_OBJECT_ENSURE_REGISTERED(DivertTrafficControlLayer);

TypeId
DivertTrafficControlLayer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DivertTrafficControlLayer")
                            .SetParent<TrafficControlLayer>()
                            .SetGroupName("Divert")
                            .AddConstructor<DivertTrafficControlLayer>();
    return tid;
}

DivertTrafficControlLayer::DivertTrafficControlLayer()
{
    NS_LOG_FUNCTION(this);
}

void
DivertTrafficControlLayer::Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item)
{
    // HeaderLengthOf looks at no tag until some packet has carried options.
    if (Ipv4OptionsTag::HeaderLengthOf(item->GetPacket()) != 20 &&
        item->GetProtocol() == Ipv4L3Protocol::PROT_NUMBER)
    {
        Ptr<Ipv4QueueDiscItem> ipv4 = DynamicCast<Ipv4QueueDiscItem>(item);
        if (ipv4 && !DynamicCast<Ipv4OptionsQueueDiscItem>(item))
        {
            const std::vector<uint8_t> options = Ipv4OptionsTag::OptionsOf(item->GetPacket());
            NS_LOG_LOGIC("datagram with " << options.size() << " bytes of options");
            item = Create<Ipv4OptionsQueueDiscItem>(ipv4->GetPacket(),
                                                    ipv4->GetAddress(),
                                                    ipv4->GetProtocol(),
                                                    ipv4->GetHeader(),
                                                    options);
        }
    }
    TrafficControlLayer::Send(device, item);
}

} // namespace ns3
