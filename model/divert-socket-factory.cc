/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-socket-factory.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DivertSocketFactory);

TypeId
DivertSocketFactory::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DivertSocketFactory").SetParent<SocketFactory>().SetGroupName("Divert");
    return tid;
}

} // namespace ns3
